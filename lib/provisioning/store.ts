import type pg from "pg";
import { inTransaction, type Queryable } from "./kamailio-db";

// The SQL on Kamailio's subscriber table (version 7: id, username, domain, password, ha1, ha1b), bound parameters
// only. Rows from kamctl / kamcli / Siremis are read and changed like kamdash's own: nothing marks who wrote a row.

export type NewSubscriber = { username: string; domain: string; password: string; ha1: string; ha1b: string };
export type SubscriberKey = { username: string; domain: string };

/** Serialises writers of one (username, domain) within this database, even where the table lacks its unique index. */
const LOCK =
  "SELECT pg_advisory_xact_lock(hashtext('kamdash-subscriber'), hashtext($1::text || '@' || $2::text))";

/**
 * Inserts one row; false when it already exists. The unique index (account_idx on username, domain) makes
 * concurrent adds of one user end in exactly one row; the advisory lock and NOT EXISTS cover a table without it.
 */
export async function insertSubscriber(pool: pg.Pool, row: NewSubscriber): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await client.query(LOCK, [row.username, row.domain]);
    const result = await client.query(
      `INSERT INTO subscriber (username, domain, password, ha1, ha1b)
       SELECT $1::varchar, $2::varchar, $3::varchar, $4::varchar, $5::varchar
        WHERE NOT EXISTS (SELECT 1 FROM subscriber WHERE username = $1::varchar AND domain = $2::varchar)
       ON CONFLICT DO NOTHING`,
      [row.username, row.domain, row.password, row.ha1, row.ha1b],
    );
    return result.rowCount === 1;
  });
}

/** Sets the hashes (and the clear-text column: '' unless stored); false when no such row. */
export async function updateSubscriberPassword(
  db: Queryable,
  key: SubscriberKey,
  secrets: { password: string; ha1: string; ha1b: string },
): Promise<boolean> {
  const result = await db.query(
    "UPDATE subscriber SET password = $3, ha1 = $4, ha1b = $5 WHERE username = $1 AND domain = $2",
    [key.username, key.domain, secrets.password, secrets.ha1, secrets.ha1b],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function deleteSubscriber(db: Queryable, key: SubscriberKey): Promise<boolean> {
  const result = await db.query("DELETE FROM subscriber WHERE username = $1 AND domain = $2", [
    key.username,
    key.domain,
  ]);
  return (result.rowCount ?? 0) > 0;
}

/** The row's key as stored (domain spelling included), or null. Domains compare case-insensitively. */
export async function findSubscriber(db: Queryable, key: SubscriberKey): Promise<SubscriberKey | null> {
  const result = await db.query<SubscriberKey>(
    `SELECT username, domain FROM subscriber WHERE username = $1::varchar AND lower(domain) = lower($2::varchar)
      ORDER BY domain = $2::varchar DESC LIMIT 1`,
    [key.username, key.domain],
  );
  return result.rows[0] ?? null;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** One page, sorted by domain then username; `q` matches "username@domain" case-insensitively. */
export async function listSubscriberKeys(
  db: Queryable,
  query: { q: string; limit: number; offset: number },
): Promise<{ rows: SubscriberKey[]; total: number }> {
  const where = "($1::text = '' OR (username || '@' || domain) ILIKE $2::text)";
  const params = [query.q, likePattern(query.q)];
  const [rows, count] = await Promise.all([
    db.query<SubscriberKey>(
      `SELECT username, domain FROM subscriber WHERE ${where} ORDER BY domain, username LIMIT $3 OFFSET $4`,
      [...params, query.limit, query.offset],
    ),
    db.query<{ total: string }>(`SELECT count(*) AS total FROM subscriber WHERE ${where}`, params),
  ]);
  return { rows: rows.rows, total: Number(count.rows[0]?.total ?? 0) };
}

/** Every key, in batches (keyset paging), for the CSV export. */
export async function* allSubscriberKeys(db: Queryable, batch = 1_000): AsyncGenerator<SubscriberKey> {
  let after: SubscriberKey = { domain: "", username: "" };
  for (;;) {
    const result = await db.query<SubscriberKey>(
      `SELECT username, domain FROM subscriber WHERE (domain, username) > ($1, $2)
        ORDER BY domain, username LIMIT $3`,
      [after.domain, after.username, batch],
    );
    yield* result.rows;
    const last = result.rows.at(-1);
    if (!last || result.rows.length < batch) return;
    after = last;
  }
}

/** Which of `keys` already exist (as "username@domain", domain lower case). */
export async function existingKeys(db: Queryable, keys: readonly SubscriberKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const result = await db.query<SubscriberKey>(
    `SELECT s.username, s.domain FROM subscriber s
       JOIN unnest($1::text[], $2::text[]) AS k(username, domain)
         ON s.username = k.username AND lower(s.domain) = lower(k.domain)`,
    [keys.map((k) => k.username), keys.map((k) => k.domain)],
  );
  return new Set(result.rows.map((r) => `${r.username}@${r.domain.toLowerCase()}`));
}

/**
 * Inserts rows with multi-row INSERTs on `client` (the caller's transaction); rows that already exist are left
 * out (ON CONFLICT DO NOTHING) and returned as keys so the caller can report or roll back.
 */
export async function insertSubscriberBatch(
  client: Queryable,
  rows: readonly NewSubscriber[],
): Promise<{ inserted: number; conflicts: SubscriberKey[] }> {
  if (rows.length === 0) return { inserted: 0, conflicts: [] };
  const result = await client.query<SubscriberKey>(
    `INSERT INTO subscriber (username, domain, password, ha1, ha1b)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT DO NOTHING RETURNING username, domain`,
    [
      rows.map((r) => r.username),
      rows.map((r) => r.domain),
      rows.map((r) => r.password),
      rows.map((r) => r.ha1),
      rows.map((r) => r.ha1b),
    ],
  );
  const done = new Set(result.rows.map((r) => `${r.username}@${r.domain}`));
  const conflicts = rows.filter((r) => !done.has(`${r.username}@${r.domain}`));
  return {
    inserted: result.rows.length,
    conflicts: conflicts.map(({ username, domain }) => ({ username, domain })),
  };
}
