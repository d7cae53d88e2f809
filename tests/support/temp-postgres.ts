import { randomBytes } from "node:crypto";
import pg from "pg";
import { type OpenDatabase, openDatabase } from "@/lib/db/open";

// Throw-away databases on the real PostgreSQL (127.0.0.1:5432, trust auth) for tests and benchmarks.

export const PG_ADMIN_URL =
  process.env.KAMDASH_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TempPostgres {
  name: string;
  url: string;
  /** Removes the database, closing connections still open to it. */
  drop(): Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database `kamdash_<label>_<pid>_<random>` on the server of `adminUrl`. */
export async function createTempPostgres(label: string, adminUrl = PG_ADMIN_URL): Promise<TempPostgres> {
  const name = `kamdash_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
  // the name goes into SQL unquoted
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export type OpenTempPostgres = OpenDatabase & TempPostgres;

/** A temp database opened (and migrated) through lib/db; `drop` closes it, then removes it. */
export async function openTempPostgres(label: string, adminUrl = PG_ADMIN_URL): Promise<OpenTempPostgres> {
  const database = await createTempPostgres(label, adminUrl);
  const open = await openDatabase({ kind: "postgres", url: database.url }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    ...open,
    ...database,
    drop: async () => {
      await open.close();
      await database.drop();
    },
  };
}
