import { createApiToken } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db";
import { type PollerConfig, readPollerConfig } from "@/lib/poller/config";
import { getNodeSnapshot, resetLiveStore, subscribe } from "@/lib/poller/live";
import { createPoller, type Poller, type PollerOptions } from "@/lib/poller/poller";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { createTempAppDatabase } from "./app-database";

// Shared by the poller/overview integration tests: a temp database that getDb() (and so the route handlers)
// uses, a poller on it, a bearer token for the API, and a way to wait for a node's next poll cycles.

export interface PolledNodes {
  poller: Poller;
  /** Viewer bearer headers for the API route handlers. */
  headers: Record<string, string>;
  /** What the poller reported through onError (the tests expect none). */
  pollErrors: string[];
  /** Stops the poller, empties the live store and drops the database. */
  stop(): Promise<void>;
}

type NodeRow = { name: string; rpcUrl: string; source: string };

/** A fresh database holding `nodes`, polled every second by a started poller (`config` overrides the defaults). */
export async function startPollingNodes(
  databaseLabel: string,
  nodes: NodeRow[],
  config: Partial<PollerConfig> = {},
  /** e.g. a wrapped RPC client, to act on the lab in the middle of a cycle (fault tests) */
  extra: Pick<PollerOptions, "createRpc" | "collectMode"> = {},
): Promise<PolledNodes> {
  const database = await createTempAppDatabase(databaseLabel);
  resetLiveStore();
  try {
    const db = await getDb();
    await db.kamailioNode.createMany({ data: nodes });
    const headers = await bearerFor("viewer");
    const pollErrors: string[] = [];
    const poller = createPoller({
      db,
      config: {
        ...readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: "1000" }),
        runTimeoutMs: 4000,
        rpcTimeoutMs: 1500,
        rpcMaxReplyBytes: 8 << 20,
        ...config,
      },
      onError: (key, err) => pollErrors.push(`${key}: ${err instanceof Error ? err.message : String(err)}`),
      ...extra,
    });
    await poller.start();
    const stop = async () => {
      await poller.stopAll();
      resetLiveStore();
      await database.drop();
    };
    return { poller, headers, pollErrors, stop };
  } catch (error) {
    await database.drop();
    throw error;
  }
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

/** The node's first snapshot, within `cycles` poll cycles, for which `done` holds; throws naming the probes. */
export async function withinCycles(
  node: string,
  cycles: number,
  done: (s: NodeSnapshot) => boolean,
  what: string,
): Promise<NodeSnapshot> {
  let last: NodeSnapshot | null = null;
  for (let i = 0; i < cycles; i++) {
    last = await nextCycles(node, 1);
    if (done(last)) return last;
  }
  const probes = last?.probes
    .map((p) => `${p.probe}=${p.state}${p.reason ? ` (${p.reason})` : ""}`)
    .join(", ");
  throw new Error(
    `${what}: not within ${cycles} poll cycles; last: up ${last?.up}, error ${last?.error}; ${probes}`,
  );
}
