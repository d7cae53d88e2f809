import { databaseConfigFromEnv } from "@/lib/db/config";
import type { Db } from "@/lib/metrics/db";
import { getLeasedNodes } from "@/lib/metrics/queries/getLeasedNodes";
import { pingDatabase } from "@/lib/metrics/queries/pingDatabase";
import { replicaId } from "./leases";
import { getFleetSnapshot } from "./live";
import type { HealthResponse } from "./snapshot";

/** A node whose data is older than this many intervals counts as stale (degraded). */
export const STALE_AFTER_INTERVALS = 3;

/**
 * GET /api/health: "down" when the database does not answer (HTTP 503), "degraded" when a node is down or its
 * data is stale, else "ok". Error text is kept short: this endpoint is unauthenticated.
 */
export async function getHealth(openDb: () => Promise<Db>, now: Date = new Date()): Promise<HealthResponse> {
  const database = await openDb()
    .then(pingDatabase)
    .then(() => ({ ok: true }))
    .catch(() => ({ ok: false, error: "database unavailable" }));
  const fleet = getFleetSnapshot(now);
  const nodes = fleet.nodes.map((n) => ({
    name: n.name,
    up: n.up,
    ageMs: Math.max(0, now.getTime() - Date.parse(n.polledAt)),
  }));
  const staleMs = fleet.intervalMs * STALE_AFTER_INTERVALS;
  const degraded = nodes.some((n) => !n.up || n.ageMs > staleMs);
  const status = !database.ok ? "down" : degraded ? "degraded" : "ok";
  return { status, database, nodes, replica: await replicaHealth(openDb) };
}

/** Which replica answered and, on PostgreSQL (DATABASE_URL set), the nodes it holds a lease on. */
async function replicaHealth(openDb: () => Promise<Db>): Promise<HealthResponse["replica"]> {
  const id = replicaId();
  if (databaseConfigFromEnv().kind === "pglite") return { id, polls: "all", leasedNodes: null };
  const leasedNodes = await openDb()
    .then((db) => getLeasedNodes(db, id))
    .catch(() => null);
  return { id, polls: "leased", leasedNodes };
}
