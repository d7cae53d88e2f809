import pg from "pg";
import type { Db } from "@/lib/metrics/db";
import { getNodeSnapshot, publish, putNodeSnapshot } from "./live";
import { type NodeSnapshot, NodeSnapshotSchema } from "./snapshot";

// Replicas share their live snapshots through PostgreSQL: the replica that polled a node upserts the snapshot in
// node_live_snapshot and NOTIFYs `kamdash_snapshot`; every replica merges the table into its in-memory live store
// (lib/poller/live.ts) when notified, and once per interval anyway (a missed notification, a LISTEN connection
// being re-opened). The SSE stream, /api/v1/overview and /api/health then show every node, each with its own
// polledAt and readings' measuredAt, so a node whose owner died shows its age instead of fresh-looking numbers.

export const SNAPSHOT_CHANNEL = "kamdash_snapshot";

/**
 * Stores a node's latest snapshot (kept if an older one arrives late) and notifies the other replicas; the
 * payload is the writer's replica id so it can ignore its own notifications.
 */
export async function shareNodeSnapshot(
  db: Db,
  nodeId: number,
  owner: string,
  snapshot: NodeSnapshot,
): Promise<void> {
  await db.$executeRaw`
    WITH stored AS (
      INSERT INTO node_live_snapshot (node_id, owner, polled_at, snapshot)
      SELECT id, ${owner}::text, ${snapshot.polledAt}::timestamptz, ${JSON.stringify(snapshot)}::jsonb
      FROM kamailio_node WHERE id = ${nodeId}::int -- a node removed meanwhile: nothing to store
      ON CONFLICT (node_id) DO UPDATE
        SET owner = EXCLUDED.owner, polled_at = EXCLUDED.polled_at, snapshot = EXCLUDED.snapshot
        WHERE node_live_snapshot.polled_at <= EXCLUDED.polled_at
      RETURNING node_id)
    SELECT pg_notify(${SNAPSHOT_CHANNEL}, ${owner}::text) FROM stored`;
}

/**
 * Reads every enabled node's shared snapshot and puts each that is newer than this replica's own copy into the
 * live store; publishes once when anything changed. Returns how many nodes were updated. A row that does not
 * parse as a NodeSnapshot (another kamdash version) is skipped and reported through `onInvalid`.
 */
export async function mergeSharedSnapshots(
  db: Db,
  onInvalid: (node: string, message: string) => void = () => {},
): Promise<number> {
  // which rows are newer than ours first (small), then only their snapshots
  const times = await db.nodeLiveSnapshot.findMany({
    where: { node: { enabled: true } },
    select: { nodeId: true, polledAt: true, node: { select: { name: true } } },
  });
  const newer = times.filter((row) => {
    const mine = getNodeSnapshot(row.node.name);
    return !mine || Date.parse(mine.polledAt) < row.polledAt.getTime();
  });
  if (newer.length === 0) return 0;
  const rows = await db.nodeLiveSnapshot.findMany({
    where: { nodeId: { in: newer.map((row) => row.nodeId) }, node: { enabled: true } },
    select: { snapshot: true, node: { select: { name: true } } },
  });
  let updated = 0;
  for (const row of rows) {
    const parsed = NodeSnapshotSchema.safeParse(row.snapshot);
    if (!parsed.success) {
      onInvalid(row.node.name, parsed.error.issues[0]?.message ?? "invalid snapshot");
      continue;
    }
    // the row's node name is the current one (a renamed node's snapshot still carries the old name)
    const snapshot = { ...parsed.data, name: row.node.name };
    const mine = getNodeSnapshot(snapshot.name);
    if (mine && Date.parse(mine.polledAt) >= Date.parse(snapshot.polledAt)) continue;
    putNodeSnapshot(snapshot);
    updated += 1;
  }
  if (updated > 0) publish();
  return updated;
}

export type SnapshotListener = { close(): Promise<void> };

/**
 * LISTENs on its own connection (outside Prisma's pool: a LISTEN is tied to one session) and calls `onNotify` for
 * every other replica's snapshot, coalesced to at most one call per `coalesceMs`. A dropped connection is reopened
 * after `retryMs`; meanwhile the per-interval merge keeps the view fresh.
 */
export function listenForSnapshots(options: {
  url: string;
  self: string;
  onNotify: () => void;
  coalesceMs?: number;
  retryMs?: number;
}): SnapshotListener {
  const coalesceMs = options.coalesceMs ?? 50;
  const retryMs = options.retryMs ?? 2000;
  let closed = false;
  let client: pg.Client | null = null;
  let pending: ReturnType<typeof setTimeout> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: options.url });
    next.on("notification", (message) => {
      if (message.payload === options.self) return;
      pending ??= setTimeout(() => {
        pending = null;
        options.onNotify();
      }, coalesceMs);
    });
    const reconnect = () => {
      if (closed || client !== next) return;
      client = null;
      void next.end().catch(() => {});
      retry = setTimeout(() => void connect(), retryMs);
    };
    next.on("error", reconnect);
    next.on("end", reconnect);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${SNAPSHOT_CHANNEL}`);
    } catch {
      reconnect();
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (pending) clearTimeout(pending);
      if (retry) clearTimeout(retry);
      const open = client;
      client = null;
      await open?.end().catch(() => {});
    },
  };
}
