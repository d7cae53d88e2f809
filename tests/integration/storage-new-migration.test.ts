import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMigrations } from "@/lib/db/migrate";
import { createMigration, migrationTimestamp } from "@/scripts/db/new-migration";
import { SCHEMA_DIR } from "@/scripts/db/schema-files";
import { createTempPostgres } from "../support/temp-postgres";
import { makeMigrationsDir, makeTempDir, openPostgresBackend, removeDir } from "./storage-support";

// `npm run db:migration -- <name>` as a function: the wasm schema engine diffs (existing migrations applied
// to a scratch PGlite) against the .prisma files of prisma/schema.

let migrationsDir: string;
let schemaDir: string;
let samplesSchemaPath: string;

beforeEach(() => {
  migrationsDir = makeMigrationsDir({ copyRepo: true });
  schemaDir = makeTempDir("schema");
  cpSync(path.resolve(SCHEMA_DIR), schemaDir, { recursive: true });
  samplesSchemaPath = path.join(schemaDir, "samples.prisma");
});
afterEach(() => {
  removeDir(migrationsDir);
  removeDir(schemaDir);
});

const now = new Date("2030-01-02T03:04:05Z");

describe("db:migration", () => {
  it("names folders <UTC yyyymmddhhmmss>_<name>", () => {
    expect(migrationTimestamp(now)).toBe("20300102030405");
  });

  it("writes nothing when the repository's schema matches its migrations", async () => {
    const before = readdirSync(migrationsDir);
    expect(
      await createMigration({ name: "noop", schemaDir, migrationsDir, allowEmpty: false, now }),
    ).toBeNull();
    expect(readdirSync(migrationsDir)).toEqual(before);
  });

  it("writes the SQL for a schema change, and that migration applies on PostgreSQL", async () => {
    const schema = readFileSync(samplesSchemaPath, "utf8");
    const changed = schema.replace(
      "  aors                Int?",
      '  aors                Int?\n  rtpSessions         Int?     @map("rtp_sessions")',
    );
    expect(changed).not.toBe(schema);
    writeFileSync(samplesSchemaPath, changed);
    const folder = await createMigration({
      name: "add_rtp_sessions",
      schemaDir,
      migrationsDir,
      allowEmpty: false,
      now,
    });
    expect(folder).toBe(path.join(migrationsDir, "20300102030405_add_rtp_sessions"));
    const sql = readFileSync(path.join(folder ?? "", "migration.sql"), "utf8");
    expect(sql).toMatch(/ALTER TABLE "sample" ADD COLUMN\s+"rtp_sessions" INTEGER;/);
    expect(sql).not.toMatch(/CREATE TABLE/);

    const database = await createTempPostgres("newmig");
    const backend = await openPostgresBackend(database.url);
    try {
      const result = await runMigrations(backend.session, migrationsDir);
      expect(result.applied.at(-1)).toBe("20300102030405_add_rtp_sessions");
      const columns = await backend.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'sample' AND column_name = 'rtp_sessions'`,
      );
      expect(columns).toHaveLength(1);
    } finally {
      await backend.close();
      await database.drop();
    }
    // With that migration in the folder, the schema and the folder agree again.
    expect(
      await createMigration({ name: "again", schemaDir, migrationsDir, allowEmpty: false, now }),
    ).toBeNull();
  });

  it("rejects a bad migration name and writes an empty migration only when asked", async () => {
    await expect(
      createMigration({ name: "Bad Name", schemaDir, migrationsDir, allowEmpty: false, now }),
    ).rejects.toThrowError(/migration name/);
    const folder = await createMigration({
      name: "manual_sql",
      schemaDir,
      migrationsDir,
      allowEmpty: true,
      now,
    });
    expect(folder).not.toBeNull();
    expect(existsSync(path.join(folder ?? "", "migration.sql"))).toBe(true);
    expect(readFileSync(path.join(folder ?? "", "migration.sql"), "utf8")).toBe(
      "-- This is an empty migration.\n",
    );
  });
});
