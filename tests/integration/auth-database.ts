import { randomBytes } from "node:crypto";
import pg from "pg";
import { closeDb, getDb } from "@/lib/db";

// A throw-away database on the real PostgreSQL (127.0.0.1:5432) for one auth test file. getDb() is pointed at it
// through DATABASE_URL and migrates it on first use.

const ADMIN_URL = process.env.KAMDASH_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function useTempAuthDatabase(): Promise<{ drop: () => Promise<void> }> {
  const name = `kamdash_auth_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await closeDb();
  process.env.DATABASE_URL = url.toString();
  await getDb();
  return {
    drop: async () => {
      await closeDb();
      delete process.env.DATABASE_URL;
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Empties the auth tables between tests. */
export async function clearAuthTables(): Promise<void> {
  const db = await getDb();
  await db.session.deleteMany();
  await db.operator.deleteMany();
  await db.apiToken.deleteMany();
}
