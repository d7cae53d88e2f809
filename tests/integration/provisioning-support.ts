import pg from "pg";
import { afterAll, afterEach, beforeAll } from "vitest";
import { closeKamailioPools } from "@/lib/provisioning/kamailio-db";
import { readLab } from "../support/lab";

// Shared by the provisioning-* tests: the lab's Kamailio database (the subscriber table kamdash writes), the
// served domains the tests use, and cleanup of every row they create (usernames start with "kd9-").

export const PREFIX = "kd9-";
/** A second served domain so tests can tell a domain from the lab's 127.0.0.1. */
export const OTHER_DOMAIN = "kd9.example.org";

export function labDbUrl(): string {
  const db = readLab().db;
  if (!db) throw new Error("lab.json has no db");
  return db;
}

let pool: pg.Pool | undefined;
export function kamailioDb(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: labDbUrl(), max: 2 });
  return pool;
}

export type StoredRow = { username: string; domain: string; password: string; ha1: string; ha1b: string };

export async function storedRows(username: string): Promise<StoredRow[]> {
  const result = await kamailioDb().query<StoredRow>(
    "SELECT username, domain, password, ha1, ha1b FROM subscriber WHERE username = $1 ORDER BY domain",
    [username],
  );
  return result.rows;
}

/** Row count and a digest of every row of the table: equal before/after means nothing was written. */
export async function tableChecksum(): Promise<string> {
  const result = await kamailioDb().query<{ n: string; digest: string | null }>(
    `SELECT count(*) AS n, md5(string_agg(concat_ws('|', id, username, domain, password, ha1, ha1b), ',' ORDER BY id))
       AS digest FROM subscriber`,
  );
  return `${result.rows[0]?.n}:${result.rows[0]?.digest}`;
}

export async function removeTestRows(): Promise<void> {
  await kamailioDb().query("DELETE FROM subscriber WHERE username LIKE 'kd9-%'");
}

/** Env for the file: served domains = the lab's and OTHER_DOMAIN; rows cleaned before and after each test. */
export function setupProvisioning(): void {
  const saved = process.env.KAMDASH_SIP_DOMAINS;
  beforeAll(async () => {
    process.env.KAMDASH_SIP_DOMAINS = `${readLab().domain},${OTHER_DOMAIN}`;
    await removeTestRows();
  });
  afterEach(removeTestRows);
  afterAll(async () => {
    if (saved === undefined) delete process.env.KAMDASH_SIP_DOMAINS;
    else process.env.KAMDASH_SIP_DOMAINS = saved;
    await removeTestRows();
    await pool?.end();
    pool = undefined;
    await closeKamailioPools();
  });
}
