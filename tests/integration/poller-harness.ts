import { randomBytes } from "node:crypto";
import pg from "pg";
import { createApiToken } from "@/lib/auth/api-tokens";
import { closeDb, getDb } from "@/lib/db";
import { getNodeSnapshot, subscribe } from "@/lib/poller/live";
import type { NodeSnapshot } from "@/lib/poller/snapshot";

// Shared by the poller/overview integration tests: a temp database that getDb() (and so the route handlers)
// uses, a bearer token for the API, and a way to wait for a node's next poll cycles.

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

/** Points getDb() at a fresh, migrated database; drop() closes and removes it. */
export async function useTempAppDatabase(prefix: string): Promise<{ drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
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

export async function bearerFor(role: "viewer" | "admin" = "viewer"): Promise<Record<string, string>> {
  const { token } = await createApiToken({ name: `poller-test-${role}`, role });
  return { authorization: `Bearer ${token}`, host: "127.0.0.1:3000" };
}

export const apiRequest = (path: string, headers: Record<string, string>, signal?: AbortSignal) =>
  new Request(`http://127.0.0.1:3000${path}`, { headers, signal });

/**
 * Resolves with the node's snapshot after `cycles` more poll cycles have finished (counted by the
 * poller's own notifications, not by wall time): the last of them started after this call.
 */
export function nextCycles(node: string, cycles: number, timeoutMs = 60_000): Promise<NodeSnapshot> {
  return new Promise((resolve, reject) => {
    let seen = getNodeSnapshot(node)?.polledAt ?? null;
    let remaining = cycles;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`node ${node}: fewer than ${cycles} poll cycles within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = subscribe(() => {
      const snap = getNodeSnapshot(node);
      if (!snap || snap.polledAt === seen) return;
      seen = snap.polledAt;
      remaining -= 1;
      if (remaining === 0) {
        clearTimeout(timer);
        unsubscribe();
        resolve(snap);
      }
    });
  });
}
