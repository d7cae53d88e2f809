import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { MigrationSession } from "@/lib/db/migrate";
import { pgClientSession, pgliteSession } from "@/lib/db/open";

// Helpers for the storage tests: throw-away PostgreSQL databases on 127.0.0.1:5432 and PGlite folders.

export const PG_ADMIN_URL =
  process.env.KAMDASH_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REPO_MIGRATIONS_DIR = path.resolve("prisma", "migrations");

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TempPostgres {
  url: string;
  drop(): Promise<void>;
}

export async function createTempPostgres(label: string): Promise<TempPostgres> {
  const name = `kamdash_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

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
