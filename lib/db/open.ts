import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { DatabaseConfig } from "./config";
import { pgliteClusterDir } from "./config";
import { acquireDataDirLock } from "./data-dir-lock";
import { type MigrateResult, type MigrationSession, runMigrations } from "./migrate";
import { defaultMigrationsDir } from "./migrations-folder";
import { replicaId } from "./replica-id";

export interface OpenDatabase {
  prisma: PrismaClient;
  config: DatabaseConfig;
  migrations: MigrateResult;
  /** The pg pool behind Prisma with PostgreSQL (for stores that speak SQL themselves, e.g. sign-in throttling);
   * absent with PGlite. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenOptions {
  migrationsDir?: string;
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<OpenDatabase> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  return config.kind === "postgres" ? openPostgres(config, migrationsDir) : openPglite(config, migrationsDir);
}

export function pgliteSession(db: PGlite): MigrationSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows,
    exec: async (script: string) => {
      await db.exec(script);
    },
  };
}

export function pgClientSession(client: pg.ClientBase): MigrationSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    exec: async (script: string) => {
      await client.query(script);
    },
  };
}

async function openPostgres(
  config: Extract<DatabaseConfig, { kind: "postgres" }>,
  migrationsDir: string,
): Promise<OpenDatabase> {
  // Prisma's pg adapter sends DateTime values as UTC text without an offset and reads timestamptz text ignoring
  // the offset: both are right only in a UTC session, so every connection starts in UTC (a startup parameter,
  // not a query racing the first one).
  // A server that does not answer at all (host gone, packets dropped) fails a connect after 10 s instead of the
  // OS's minutes, so the poller's write buffer (lib/metrics/write-buffer.ts) sees the outage within a cycle or two.
  const pool = new pg.Pool({
    connectionString: config.url,
    options: "-c TimeZone=UTC",
    connectionTimeoutMillis: 10_000,
    // the replica id: which kamdash process wrote a sample (sample.written_by), holds a lock, runs a query
    application_name: replicaId(),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", (error) => log.error({ err: error }, "PostgreSQL pool error"));
  try {
    const client = await pool.connect();
    let migrations: MigrateResult;
    try {
      migrations = await runMigrations(pgClientSession(client), migrationsDir);
    } finally {
      client.release();
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      prisma,
      config,
      migrations,
      pool,
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function openPglite(
  config: Extract<DatabaseConfig, { kind: "pglite" }>,
  migrationsDir: string,
): Promise<OpenDatabase> {
  // PGlite's own mkdir is not recursive: the parent must exist before it creates its cluster folder.
  mkdirSync(config.dataDir, { recursive: true });
  const lock = acquireDataDirLock(config.dataDir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(pgliteClusterDir(config.dataDir));
    const migrations = await runMigrations(pgliteSession(db), migrationsDir);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    const opened = db;
    return {
      prisma,
      config,
      migrations,
      close: async () => {
        try {
          await prisma.$disconnect();
          await opened.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    try {
      await db?.close();
    } finally {
      lock.release();
    }
    throw error;
  }
}
