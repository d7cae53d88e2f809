import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import type { LabUser } from "./config";

const schemaDir = "/usr/share/kamailio/postgres";

/** Debian's schema files, applied when their first table is missing (the version table comes first). */
const schemaFiles: readonly { file: string; table: string }[] = [
  { file: "standard-create.sql", table: "version" },
  { file: "auth_db-create.sql", table: "subscriber" },
  { file: "usrloc-create.sql", table: "location" },
  { file: "dialog-create.sql", table: "dialog" },
];

function databaseName(dbUrl: string): string {
  const name = decodeURIComponent(new URL(dbUrl).pathname.replace(/^\//, ""));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`unsupported database name in ${dbUrl}: ${JSON.stringify(name)}`);
  }
  return name;
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates the database (if missing) and the Kamailio tables the gateway uses. Idempotent. */
export async function ensureKamailioDatabase(dbUrl: string): Promise<void> {
  const name = databaseName(dbUrl);
  const adminUrl = new URL(dbUrl);
  adminUrl.pathname = "/postgres";
  await withClient(adminUrl.toString(), async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`);
    }
  });
  await withClient(dbUrl, async (client) => {
    // one lab:up at a time may create tables
    await client.query("SELECT pg_advisory_lock(hashtext('kamdash-lab-schema'))");
    try {
      for (const { file, table } of schemaFiles) {
        const exists = await client.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]);
        if (exists.rows[0]?.t) continue;
        const sql = await readFile(`${schemaDir}/${file}`, "utf8");
        await client.query("BEGIN");
        try {
          await client.query(sql);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`applying ${schemaDir}/${file}: ${(error as Error).message}`);
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('kamdash-lab-schema'))");
    }
  });
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

/** kamctl's ha1 / ha1b (realm = domain). */
export function digestHashes(
  username: string,
  domain: string,
  password: string,
): { ha1: string; ha1b: string } {
  return {
    ha1: md5(`${username}:${domain}:${password}`),
    ha1b: md5(`${username}@${domain}:${domain}:${password}`),
  };
}

export function randomPassword(): string {
  return randomBytes(12).toString("base64url");
}

/** Users 1001..1000+count, keeping the passwords already recorded in lab.json. */
export function labUsers(count: number, known: readonly LabUser[]): LabUser[] {
  const byName = new Map(known.map((user) => [user.username, user.password]));
  return Array.from({ length: count }, (_, index) => {
    const username = String(1001 + index);
    return { username, password: byName.get(username) ?? randomPassword() };
  });
}

/** The canary's probe users (caller, callee): fixed names, passwords kept from `known` or new random ones. */
export const canaryUsernames = ["kamdash-canary-a", "kamdash-canary-b"] as const;

export function canaryLabUsers(known: readonly LabUser[]): [LabUser, LabUser] {
  const byName = new Map(known.map((user) => [user.username, user.password]));
  const [a, b] = canaryUsernames.map((username) => ({
    username,
    password: byName.get(username) ?? randomPassword(),
  }));
  return [a as LabUser, b as LabUser];
}

/** Upserts subscribers with ha1/ha1b only; the clear-text password column stays empty. */
export async function provisionUsers(
  dbUrl: string,
  domain: string,
  users: readonly LabUser[],
): Promise<void> {
  await withClient(dbUrl, async (client) => {
    for (const user of users) {
      const { ha1, ha1b } = digestHashes(user.username, domain, user.password);
      await client.query(
        `INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES ($1, $2, '', $3, $4)
         ON CONFLICT (username, domain) DO UPDATE SET password = '', ha1 = EXCLUDED.ha1, ha1b = EXCLUDED.ha1b`,
        [user.username, domain, ha1, ha1b],
      );
    }
  });
}

/**
 * Empties usrloc's tables before Kamailio starts with usrloc db_mode 3 (DB only): in that mode the `location`
 * table IS the registration store, so rows left by an earlier run would count as registered phones.
 * The rows belong to whichever Kamailio uses this database: run only one DB-only lab per database.
 */
export async function clearLocationTables(dbUrl: string): Promise<number> {
  return withClient(dbUrl, async (client) => {
    const removed = await client.query("DELETE FROM location");
    const attrs = await client.query<{ t: string | null }>("SELECT to_regclass('location_attrs')::text AS t");
    if (attrs.rows[0]?.t) await client.query("DELETE FROM location_attrs");
    return removed.rowCount ?? 0;
  });
}
