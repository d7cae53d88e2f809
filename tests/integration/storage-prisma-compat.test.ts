import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMigrations } from "@/lib/db/migrate";
import { readMigrationsFolder } from "@/lib/db/migrations-folder";
import { pgliteSession } from "@/lib/db/open";
import { engineMigrationsList, NO_FILTERS, withSchemaEngine } from "@/scripts/db/schema-engine";
import { readSchemaFiles, SCHEMA_DIR } from "@/scripts/db/schema-files";
import { REPO_MIGRATIONS_DIR } from "./storage-support";

// Our start-up runner against Prisma's own migrate implementation (the wasm schema engine, the same code
// as `prisma migrate deploy`/`migrate status`): each must accept what the other recorded.

const schemaFiles = readSchemaFiles(path.resolve(SCHEMA_DIR));
const migrations = readMigrationsFolder(REPO_MIGRATIONS_DIR);
const migrationsList = engineMigrationsList(REPO_MIGRATIONS_DIR, migrations);

let db: PGlite;
beforeEach(async () => {
  db = await PGlite.create("memory://");
});
afterEach(() => db.close());

describe("compatibility with Prisma Migrate", () => {
  it("Prisma's migration history check finds a database migrated by kamdash up to date", async () => {
    await runMigrations(pgliteSession(db), REPO_MIGRATIONS_DIR);
    const diagnosis = await withSchemaEngine(db, schemaFiles, (engine) =>
      engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
    );
    expect(diagnosis).toMatchObject({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
    const applied = await withSchemaEngine(db, schemaFiles, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );
    expect(applied.appliedMigrationNames).toEqual([]);
  });

  it("kamdash accepts a database migrated by Prisma (same rows, same checksums)", async () => {
    const applied = await withSchemaEngine(db, schemaFiles, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );
    expect(applied.appliedMigrationNames).toEqual(migrations.map((migration) => migration.name));
    const prismaRows = (await db.query<Record<string, unknown>>('SELECT * FROM "_prisma_migrations"')).rows;
    expect(prismaRows.map((row) => row.checksum)).toEqual(migrations.map((migration) => migration.checksum));
    expect(prismaRows.map((row) => row.applied_steps_count)).toEqual(migrations.map(() => 1));
    expect(prismaRows.map((row) => row.logs)).toEqual(migrations.map(() => null));

    const result = await runMigrations(pgliteSession(db), REPO_MIGRATIONS_DIR);
    expect(result).toEqual({ applied: [], alreadyApplied: migrations.map((migration) => migration.name) });
  });
});
