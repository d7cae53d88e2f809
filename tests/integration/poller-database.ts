import { randomBytes } from "node:crypto";
import pg from "pg";
import { type OpenDatabase, openDatabase } from "@/lib/db/open";

// A throw-away, migrated database on the real PostgreSQL (127.0.0.1:5432) for one poller test file.

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

export type PollerTestDatabase = OpenDatabase & { url: string; drop: () => Promise<void> };

export async function createPollerTestDatabase(prefix = "kamdash_poller"): Promise<PollerTestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const open = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...open,
    url: url.toString(),
    drop: async () => {
      await open.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
