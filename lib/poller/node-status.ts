import type { Db } from "@/lib/metrics/db";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { displayRpcUrl } from "@/lib/nodes/node-spec";
import { getFleetSnapshot } from "./live";
import type { NodeListItem } from "./snapshot";

/** Configured nodes with their live poll state (GET /api/v1/nodes). */
export async function listNodeStatus(db: Db, now: Date = new Date()): Promise<NodeListItem[]> {
  const live = new Map(getFleetSnapshot(now).nodes.map((n) => [n.name, n]));
  return (await getNodes(db)).map((node) => {
    const snap = live.get(node.name);
    return {
      name: node.name,
      rpcUrl: displayRpcUrl(node.rpcUrl),
      enabled: node.enabled,
      source: node.source,
      up: snap ? snap.up : null,
      lastPollAt: snap?.polledAt ?? null,
      ageMs: snap ? Math.max(0, now.getTime() - Date.parse(snap.polledAt)) : null,
      error: snap?.error ?? null,
      kamailio: snap?.kamailio ?? null,
      probes: snap?.probes ?? [],
    };
  });
}
