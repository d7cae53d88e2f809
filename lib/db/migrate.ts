import { randomUUID } from "node:crypto";
import {
  defaultMigrationsDir,
  type MigrationFile,
  readMigrationsFolder,
  scriptMatchesChecksum,
} from "./migrations-folder";

/** The two things the runner needs from a database session; PGlite and node-postgres both fit. */
export interface MigrationSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a multi-statement script in one simple-protocol round trip (an implicit transaction). */
  exec(script: string): Promise<void>;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Prisma Migrate's advisory lock key, so this runner and `prisma migrate deploy` never run at once. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;
export const MIGRATIONS_TABLE = "_prisma_migrations";

// The table exactly as Prisma's schema engine creates it for PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "${MIGRATIONS_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface AppliedMigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

/**
 * Applies prisma/migrations/* in order, recording `_prisma_migrations` rows the way `prisma migrate deploy`
 * does. Refuses (like Prisma) on failed migrations and on a non-empty database it did not create, and
 * (stricter than deploy) on an applied migration whose file changed since.
 */
export async function runMigrations(
  session: MigrationSession,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<MigrateResult> {
  const migrations = readMigrationsFolder(migrationsDir);
  await session.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
  try {
    await ensureMigrationsTable(session);
    const rows = await session.query<AppliedMigrationRow>(
      `SELECT * FROM "${MIGRATIONS_TABLE}" ORDER BY started_at ASC`,
    );
    assertNoFailedMigrations(rows);
    const live = rows.filter((row) => row.rolled_back_at === null);
    assertChecksumsMatch(migrations, live);
    const appliedNames = new Set(live.map((row) => row.migration_name));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      if (appliedNames.has(migration.name)) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyMigration(session, migration);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
  }
}

async function ensureMigrationsTable(session: MigrationSession): Promise<void> {
  const tables = await session.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const names = tables.map((table) => table.table_name);
  if (names.includes(MIGRATIONS_TABLE)) return;
  if (names.length > 0) {
    const schema = (await session.query<{ schema: string }>("SELECT current_schema() AS schema"))[0]?.schema;
    throw new MigrationError(
      `the database schema "${schema}" is not empty (tables: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}) ` +
        `and has no ${MIGRATIONS_TABLE} table; kamdash only migrates a database it created. ` +
        "Point DATABASE_URL at an empty database.",
    );
  }
  await session.exec(CREATE_MIGRATIONS_TABLE);
}

function assertNoFailedMigrations(rows: AppliedMigrationRow[]): void {
  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length === 0) return;
  const details = failed
    .map(
      (row) =>
        `- ${row.migration_name} (started ${row.started_at.toISOString()}): ${row.logs?.trim() || "no logs"}`,
    )
    .join("\n");
  throw new MigrationError(
    `found failed migrations in ${MIGRATIONS_TABLE}; fix the database, then mark them rolled back ` +
      `(prisma migrate resolve --rolled-back <name>, or set rolled_back_at):\n${details}`,
  );
}

function assertChecksumsMatch(migrations: MigrationFile[], live: AppliedMigrationRow[]): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const edited = live.filter((row) => {
    const file = byName.get(row.migration_name);
    return file !== undefined && !scriptMatchesChecksum(file.script, row.checksum);
  });
  if (edited.length === 0) return;
  const details = edited
    .map(
      (row) =>
        `- ${row.migration_name}: database ${row.checksum}, file ${byName.get(row.migration_name)?.checksum}`,
    )
    .join("\n");
  throw new MigrationError(
    `migration files were modified after they were applied (checksum mismatch); ` +
      `restore the original files or add a new migration instead:\n${details}`,
  );
}

async function applyMigration(session: MigrationSession, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await session.query(
    `INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)`,
    [id, migration.checksum, new Date(), migration.name],
  );
  try {
    await session.exec(migration.script);
  } catch (error) {
    const logs = error instanceof Error ? error.message : String(error);
    await session.query(`UPDATE "${MIGRATIONS_TABLE}" SET logs = $1 WHERE id = $2`, [logs, id]);
    throw new MigrationError(`migration ${migration.name} failed: ${logs}`, { cause: error });
  }
  await session.query(
    `UPDATE "${MIGRATIONS_TABLE}" SET applied_steps_count = applied_steps_count + 1 WHERE id = $1`,
    [id],
  );
  await session.query(`UPDATE "${MIGRATIONS_TABLE}" SET finished_at = $1 WHERE id = $2`, [new Date(), id]);
}
