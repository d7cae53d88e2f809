import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { MigrationSession } from "@/lib/db/migrate";
import { pgClientSession, pgliteSession } from "@/lib/db/open";

// Helpers for the storage tests: migration sessions on PostgreSQL and PGlite, temp folders.

export const REPO_MIGRATIONS_DIR = path.resolve("prisma", "migrations");

// tests/e2e/support/suite.ts imports the temp database helper from here
export { createTempPostgres, type TempPostgres } from "../support/temp-postgres";

/** A migration session plus raw queries against one backend; `close` frees everything it made. */
export interface TestBackend {
  session: MigrationSession;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function openPostgresBackend(url: string): Promise<TestBackend> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const session = pgClientSession(client);
  return { session, query: session.query, close: () => client.end() };
}

export async function openPgliteBackend(dataDir: string): Promise<TestBackend> {
  const db = await PGlite.create(dataDir);
  const session = pgliteSession(db);
  return { session, query: session.query, close: () => db.close() };
}

export function makeTempDir(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `kamdash-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A migrations folder for one test, optionally seeded with a copy of the repository's migrations. */
export function makeMigrationsDir(options: { copyRepo?: boolean } = {}): string {
  const dir = makeTempDir("migrations");
  if (options.copyRepo) cpSync(REPO_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

export function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}
