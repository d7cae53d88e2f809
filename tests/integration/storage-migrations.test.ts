import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AppliedMigrationRow, MigrationError, runMigrations } from "@/lib/db/migrate";
import { checksumOf, readMigrationsFolder } from "@/lib/db/migrations-folder";
import { createTempPostgres, type TempPostgres } from "../support/temp-postgres";
import {
  makeMigrationsDir,
  makeTempDir,
  openPgliteBackend,
  openPostgresBackend,
  REPO_MIGRATIONS_DIR,
  removeDir,
  type TestBackend,
  writeMigration,
} from "./storage-support";

const selectRows = 'SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name';

// The same behaviour is required of both backends kamdash supports.
const backends: { name: string; open(): Promise<{ backend: TestBackend; cleanup(): Promise<void> }> }[] = [
  {
    name: "PostgreSQL 127.0.0.1:5432",
    async open() {
      const database: TempPostgres = await createTempPostgres("migrate");
      const backend = await openPostgresBackend(database.url);
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          await database.drop();
        },
      };
    },
  },
  {
    name: "PGlite in a temp folder",
    async open() {
      const dir = makeTempDir("pglite");
      const backend = await openPgliteBackend(path.join(dir, "pglite"));
      return {
        backend,
        cleanup: async () => {
          await backend.close();
          removeDir(dir);
        },
      };
    },
  },
];

describe.each(backends)("migration runner on $name", ({ open }) => {
  let backend: TestBackend;
  let cleanup: () => Promise<void>;
  let migrationsDir: string;
  let schemaCount = 0;

  // One database per backend; every test gets a fresh schema (the runner works in current_schema()).
  beforeAll(async () => {
    ({ backend, cleanup } = await open());
  });
  afterAll(() => cleanup());
  beforeEach(async () => {
    schemaCount += 1;
    await backend.query(`CREATE SCHEMA test_${schemaCount}`);
    await backend.query(`SET search_path TO test_${schemaCount}`);
    migrationsDir = makeMigrationsDir();
  });
  afterEach(() => removeDir(migrationsDir));

  it("applies the repository's migrations once, recording rows shaped like prisma migrate deploy's", async () => {
    const before = new Date();
    const first = await runMigrations(backend.session, REPO_MIGRATIONS_DIR);
    const files = readMigrationsFolder(REPO_MIGRATIONS_DIR);
    expect(first.applied).toEqual(files.map((file) => file.name));
    expect(first.alreadyApplied).toEqual([]);

    const rows = await backend.query<AppliedMigrationRow>(selectRows);
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const [index, row] of rows.entries()) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(
        checksumOf(readFileSync(path.join(REPO_MIGRATIONS_DIR, row.migration_name, "migration.sql"), "utf8")),
      );
      expect(row.checksum).toBe(files[index]?.checksum);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.started_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }

    // Column names, types, nullability and defaults as Prisma's schema engine creates the table.
    const columns = await backend.query<{
      column_name: string;
      data_type: string;
      character_maximum_length: number | null;
      is_nullable: string;
      column_default: string | null;
    }>(
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'
        ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      {
        column_name: "id",
        data_type: "character varying",
        character_maximum_length: 36,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "checksum",
        data_type: "character varying",
        character_maximum_length: 64,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        character_maximum_length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        character_maximum_length: 255,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "logs",
        data_type: "text",
        character_maximum_length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        character_maximum_length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        character_maximum_length: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        character_maximum_length: null,
        is_nullable: "NO",
        column_default: "0",
      },
    ]);

    // The schema really is there (day partitions of sample, branch_sample and event not listed).
    const tables = await backend.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
         AND table_name::text NOT IN (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid)
       ORDER BY table_name`,
    );
    expect(tables.map((table) => table.table_name)).toEqual([
      "_prisma_migrations",
      "alert_delivery",
      "alert_rule",
      "alert_state",
      "api_token",
      "audit_log",
      "branch_rollup_1h",
      "branch_rollup_1m",
      "branch_sample",
      "canary_run",
      "event",
      "handshake_attempt",
      "kamailio_node",
      "node_lease",
      "node_live_snapshot",
      "operator",
      "rate_limit",
      "retention_horizon",
      "rollup_1h",
      "rollup_1m",
      "sample",
      "session",
    ]);

    // Idempotent: a second run applies nothing and leaves the rows alone.
    const second = await runMigrations(backend.session, REPO_MIGRATIONS_DIR);
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((file) => file.name) });
    expect(await backend.query<AppliedMigrationRow>(selectRows)).toEqual(rows);
  });

  it("applies only the new migration when one is added later", async () => {
    writeMigration(migrationsDir, "20260101000000_one", 'CREATE TABLE "one" ("id" INTEGER);');
    expect((await runMigrations(backend.session, migrationsDir)).applied).toEqual(["20260101000000_one"]);
    writeMigration(migrationsDir, "20260102000000_two", 'ALTER TABLE "one" ADD COLUMN "name" TEXT;');
    expect(await runMigrations(backend.session, migrationsDir)).toEqual({
      applied: ["20260102000000_two"],
      alreadyApplied: ["20260101000000_one"],
    });
    await backend.query(`INSERT INTO "one" (id, name) VALUES (1, 'x')`);
  });

  it("refuses when an applied migration's file was changed, naming it", async () => {
    writeMigration(migrationsDir, "20260101000000_one", 'CREATE TABLE "one" ("id" INTEGER);\n');
    await runMigrations(backend.session, migrationsDir);
    const scriptPath = path.join(migrationsDir, "20260101000000_one", "migration.sql");
    writeFileSync(scriptPath, 'CREATE TABLE "one" ("id" BIGINT);\n');
    writeMigration(migrationsDir, "20260102000000_two", 'CREATE TABLE "two" ("id" INTEGER);');
    const attempt = runMigrations(backend.session, migrationsDir);
    await expect(attempt).rejects.toThrowError(MigrationError);
    await expect(runMigrations(backend.session, migrationsDir)).rejects.toThrowError(
      /modified after they were applied[\s\S]*20260101000000_one/,
    );
    // Nothing after the mismatch was applied.
    const rows = await backend.query<AppliedMigrationRow>(selectRows);
    expect(rows.map((row) => row.migration_name)).toEqual(["20260101000000_one"]);

    // Line endings alone do not count as a change (git may rewrite them).
    writeFileSync(scriptPath, 'CREATE TABLE "one" ("id" INTEGER);\r\n');
    expect((await runMigrations(backend.session, migrationsDir)).applied).toEqual(["20260102000000_two"]);
  });

  it("records a failing migration with its logs and refuses to continue until it is resolved", async () => {
    writeMigration(migrationsDir, "20260101000000_one", 'CREATE TABLE "one" ("id" INTEGER);');
    writeMigration(
      migrationsDir,
      "20260102000000_bad",
      'CREATE TABLE "two" ("id" INTEGER);\nSELECT nope FROM missing;',
    );
    await expect(runMigrations(backend.session, migrationsDir)).rejects.toThrowError(
      /migration 20260102000000_bad failed: .*missing/,
    );
    const rows = await backend.query<AppliedMigrationRow>(selectRows);
    expect(rows).toHaveLength(2);
    const bad = rows.find((row) => row.migration_name === "20260102000000_bad");
    expect(bad?.finished_at).toBeNull();
    expect(bad?.applied_steps_count).toBe(0);
    expect(bad?.logs).toMatch(/missing/);
    // The failed script ran as one implicit transaction: its first statement was rolled back too.
    const two = await backend.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'two'`,
    );
    expect(two).toHaveLength(0);

    await expect(runMigrations(backend.session, migrationsDir)).rejects.toThrowError(
      /found failed migrations[\s\S]*20260102000000_bad/,
    );

    // Resolved the way `prisma migrate resolve --rolled-back` does: the fixed file is applied anew.
    await backend.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [
      "20260102000000_bad",
    ]);
    writeMigration(migrationsDir, "20260102000000_bad", 'CREATE TABLE "two" ("id" INTEGER);');
    expect((await runMigrations(backend.session, migrationsDir)).applied).toEqual(["20260102000000_bad"]);
  });

  it("refuses a non-empty database that has no _prisma_migrations table", async () => {
    await backend.query('CREATE TABLE "someone_elses" ("id" INTEGER)');
    writeMigration(migrationsDir, "20260101000000_one", 'CREATE TABLE "one" ("id" INTEGER);');
    await expect(runMigrations(backend.session, migrationsDir)).rejects.toThrowError(
      /not empty \(tables: someone_elses\)/,
    );
    const tables = await backend.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'one'`,
    );
    expect(tables).toHaveLength(0);
  });
});
