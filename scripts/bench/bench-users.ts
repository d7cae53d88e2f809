import pg from "pg";
import type { LabUser } from "../lab/config";
import { digestHashes, randomPassword } from "../lab/db";

// The benchmark's own SIP users in the lab's Kamailio `subscriber` table: bench-ws-0001…, random passwords per run,
// ha1/ha1b only (as scripts/lab/db.ts provisions the lab's users). The shared lab users (1001…, canary) are never
// touched; removal deletes exactly the names created here.

export const BENCH_USER_PREFIX = "bench-ws-";

export const benchUsername = (index: number) => `${BENCH_USER_PREFIX}${String(index + 1).padStart(4, "0")}`;

async function withClient<T>(dbUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates (or re-keys) `count` bench users in one statement; returns them with their clear-text passwords. */
export async function createBenchUsers(dbUrl: string, domain: string, count: number): Promise<LabUser[]> {
  const users = Array.from({ length: count }, (_unused, i) => ({
    username: benchUsername(i),
    password: randomPassword(),
  }));
  const hashes = users.map((u) => digestHashes(u.username, domain, u.password));
  await withClient(dbUrl, (client) =>
    client.query(
      `INSERT INTO subscriber (username, domain, password, ha1, ha1b)
       SELECT u, $2, '', h1, h1b FROM unnest($1::text[], $3::text[], $4::text[]) AS t(u, h1, h1b)
       ON CONFLICT (username, domain) DO UPDATE SET password = '', ha1 = EXCLUDED.ha1, ha1b = EXCLUDED.ha1b`,
      [users.map((u) => u.username), domain, hashes.map((h) => h.ha1), hashes.map((h) => h.ha1b)],
    ),
  );
  return users;
}

/** Deletes the bench users named in `users` (the ones createBenchUsers returned); returns how many rows went. */
export async function removeBenchUsers(
  dbUrl: string,
  domain: string,
  users: readonly LabUser[],
): Promise<number> {
  const names = users.map((u) => u.username).filter((name) => name.startsWith(BENCH_USER_PREFIX));
  if (names.length === 0) return 0;
  return withClient(dbUrl, async (client) => {
    const result = await client.query(
      "DELETE FROM subscriber WHERE domain = $1 AND username = ANY($2::text[])",
      [domain, names],
    );
    return result.rowCount ?? 0;
  });
}
