import type { Db } from "@/lib/metrics/db";

export { replicaId } from "@/lib/db/replica-id";

// Several kamdash replicas on one PostgreSQL: each node is polled by the one replica holding its row in
// node_lease. Why a lease table and not session advisory locks: an advisory lock lives on one connection, so each
// replica would need a dedicated connection outside Prisma's pool, and a half-dead connection (network partition)
// keeps the lock until TCP notices, for minutes. A row with an expiry in database time needs no extra connection,
// is visible to operators (SELECT * FROM node_lease) and expires on its own two intervals after its owner went
// quiet. Every time comparison uses the database clock (now()), so replicas' clocks may differ.

/**
 * How long a claim or renewal holds a node, ms: 1.5 poll intervals minus 100 ms. The owner renews at the start of
 * every cycle (every interval) and again just before it writes, so the lease only lapses when the owner stopped.
 * A replica waiting for a node retries once per interval and, when the lease ends within 3/4 of an interval, waits
 * for that moment (leaseWaitMs): it takes over at most lease + interval/4 = 1.75 intervals - 100 ms after the
 * owner's last renewal, so within two intervals of the owner's death. (The wait plus a poll stays within the run
 * timeout, at least two intervals.)
 */
export function leaseMs(intervalMs: number): number {
  return Math.round(intervalMs * 1.5) - 100;
}

/** The longest a cycle waits for someone else's lease to run out before claiming it, ms (3/4 of an interval). */
export function leaseWaitMs(intervalMs: number): number {
  return Math.round(intervalMs * 0.75);
}

export type LeaseClaim =
  | { held: true; epoch: bigint }
  /** Another replica holds the node; its lease ends in `remainingMs` (database clock). */
  | { held: false; owner: string; remainingMs: number };

/**
 * Claims or renews the node for `owner` for `durationMs`: one INSERT … ON CONFLICT DO UPDATE that succeeds only
 * when the row is free, expired, or already ours (epoch + 1 when the node changes hands).
 */
export async function claimLease(
  db: Db,
  nodeId: number,
  owner: string,
  durationMs: number,
): Promise<LeaseClaim> {
  const claimed = await db.$queryRaw<{ epoch: bigint }[]>`
    INSERT INTO node_lease (node_id, owner, expires_at, epoch)
    SELECT id, ${owner}::text, now() + ${durationMs}::int * interval '1 millisecond', 1
    FROM kamailio_node WHERE id = ${nodeId}::int -- a node removed meanwhile: no row, no foreign-key error
    ON CONFLICT (node_id) DO UPDATE
      SET owner = EXCLUDED.owner,
          expires_at = EXCLUDED.expires_at,
          epoch = node_lease.epoch + CASE WHEN node_lease.owner = EXCLUDED.owner THEN 0 ELSE 1 END
      WHERE node_lease.owner = EXCLUDED.owner OR node_lease.expires_at < now()
    RETURNING epoch`;
  if (claimed[0]) return { held: true, epoch: BigInt(claimed[0].epoch) };
  const holder = await db.$queryRaw<{ owner: string; remaining_ms: number }[]>`
    SELECT owner, (extract(epoch FROM expires_at - now()) * 1000)::float8 AS remaining_ms
    FROM node_lease WHERE node_id = ${nodeId}::int`;
  const row = holder[0];
  // the row vanished between the two statements (released or node deleted): free now, claim next time
  if (!row) return { held: false, owner: "", remainingMs: 0 };
  return { held: false, owner: row.owner, remainingMs: Math.max(0, Number(row.remaining_ms)) };
}

/**
 * The fence before a write: renews the lease only if `owner` still holds it unexpired. false means the node has
 * changed hands (or is about to) and the caller must not write what it measured. The renewal and the write are
 * separate statements: a replica paused longer than a lease between the two could still write one late sample,
 * with its own cycle time; the unique (node_id, at) index on sample stops a second row for the same cycle.
 */
export async function stillHoldsLease(
  db: Db,
  nodeId: number,
  owner: string,
  durationMs: number,
): Promise<boolean> {
  const renewed = await db.$executeRaw`
    UPDATE node_lease SET expires_at = now() + ${durationMs}::int * interval '1 millisecond'
    WHERE node_id = ${nodeId}::int AND owner = ${owner}::text AND expires_at > now()`;
  return renewed > 0;
}

/** Gives up every node `owner` holds (clean shutdown): the other replicas take them on their next cycle. */
export async function releaseLeases(db: Db, owner: string): Promise<number> {
  return db.$executeRaw`DELETE FROM node_lease WHERE owner = ${owner}::text`;
}

/** Whether another replica holds the node right now (unexpired): a late write of ours would sit beside its own. */
export async function heldByOther(db: Db, nodeId: number, owner: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT 1 AS n FROM node_lease WHERE node_id = ${nodeId}::int AND owner <> ${owner}::text AND expires_at > now()`;
  return rows.length > 0;
}
