import pg from "pg";
import { log } from "@/lib/log";

// The pool on the Kamailio database (KAMAILIO_DB_URL), one per URL and process, kept on globalThis so Next's
// separate bundles share it. Only lib/provisioning talks to it, with bound parameters only.

export type Queryable = Pick<pg.Pool, "query">;

const holder = globalThis as { __kamdashKamailioPools?: Map<string, pg.Pool> };
holder.__kamdashKamailioPools ??= new Map();
const pools: Map<string, pg.Pool> = holder.__kamdashKamailioPools;

export function kamailioPool(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: 8,
      idleTimeoutMillis: 10_000,
      // a CLI process may exit while clients idle (the CLI may also run inside the server: it must not end pools)
      allowExitOnIdle: true,
      connectionTimeoutMillis: 5_000,
    });
    // an idle client losing its connection must not crash the process; the next query reconnects
    pool.on("error", (error) => log.error({ err: error }, "Kamailio DB connection lost"));
    pools.set(url, pool);
  }
  return pool;
}

/** Closes every pool (CLI exit, tests). */
export async function closeKamailioPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.end()));
}

/** Runs `work` in one transaction on one client: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export type SubscriberColumns = { username: number; domain: number; password: number };

const columnCache = new Map<string, SubscriberColumns>();

/** character_maximum_length of the subscriber columns (64 each in Kamailio's schema, used when unknown). */
export async function subscriberColumns(url: string): Promise<SubscriberColumns> {
  const cached = columnCache.get(url);
  if (cached) return cached;
  const result = await kamailioPool(url).query<{ column_name: string; max: number | null }>(
    `SELECT column_name, character_maximum_length AS max FROM information_schema.columns
      WHERE table_name = 'subscriber' AND table_schema = ANY (current_schemas(false))
        AND column_name IN ('username', 'domain', 'password')`,
  );
  if (result.rows.length === 0) throw new Error("the Kamailio database has no subscriber table");
  const of = (name: string) => result.rows.find((r) => r.column_name === name)?.max ?? 64;
  const columns = { username: of("username"), domain: of("domain"), password: of("password") };
  columnCache.set(url, columns);
  return columns;
}
