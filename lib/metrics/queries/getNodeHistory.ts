import { Prisma } from "@/lib/generated/prisma/client";
import { MIN_BRANCHES_TO_JUDGE } from "@/lib/poller/branch-windows";
import type { Db } from "../db";
import { HISTORY_RANGE_MS, type HistoryRange } from "../history-range";
import { rawNodeBucketsSql, regroupSql, rollupNodeBucketsSql } from "../node-history-sql";
import { pickResolution, RESOLUTION_WIDTH_MS, rollupBucketMs } from "../resolution";
import { type Resolution, ROLLUP_TABLES } from "../rollup-columns";
import { getRetentionHorizons } from "./getRetentionHorizons";

export { HISTORY_RANGE_MS, HISTORY_RANGES, type HistoryRange, HistoryRangeSchema } from "../history-range";

/** Narrowest chart bucket, ms: a minute holds enough branches and handshake attempts to say something. */
const MIN_BUCKET_MS = 60_000;

export type BranchVerdict = "judged" | "too_few" | "inconsistent" | "no_data";

export type NodeHistoryPoint = {
  /** Bucket start (ISO). */
  at: string;
  /** true: the node answered at least once in the bucket; false: polled, never answered (down); null: not polled. */
  up: boolean | null;
  /** Averages over the up samples of the bucket; null when down, not polled or not measured. */
  ws: number | null;
  wss: number | null;
  registrations: number | null;
  dialogsActive: number | null;
  dialogsEarly: number | null;
  /** RTPEngine own sessions (NG statistics) and answered dialogs, averaged over the cycles that knew both. */
  rtpengineSessions: number | null;
  callsAnswered: number | null;
  /** WS/WSS connections without a registration, averaged over the cycles that joined ul.dump. */
  socketsWithoutRegistration: number | null;
  /** Branch counters' increases in the bucket (sum over directions; restart-aware); null when none could be taken. */
  branches: { relayed: number | null; failed: number | null; rate: number | null; verdict: BranchVerdict };
  /** Handshake probe: attempts, failures (attempts − ok), latency of the ok attempts, ms. null: no attempt. */
  handshake: {
    attempts: number;
    failures: number;
    p50Ms: number | null;
    p95Ms: number | null;
    maxMs: number | null;
  } | null;
  /** Kamailio's own websocket counters' increases (ws_successful_handshakes / ws_failed_handshakes). */
  wsHandshakesOk: number | null;
  wsHandshakesFailed: number | null;
};

export type NodeHistory = {
  node: { id: number; name: string };
  range: HistoryRange;
  from: string;
  to: string;
  /** raw samples, 1-minute or 1-hour rollups (lib/metrics/resolution.ts pickResolution). */
  resolution: Resolution;
  bucketMs: number;
  /**
   * false when chart buckets hold several store buckets: then p95 is the highest stored p95 in the bucket and p50
   * the ok-weighted mean of stored p50s, not percentiles of the attempts themselves.
   */
  handshakePercentilesExact: boolean;
  /** One point per bucket from `from` to `to`, gaps included. */
  points: NodeHistoryPoint[];
};

type Row = { at: Date } & Record<string, number | null>;

/** Judges a bucket's branch deltas like lib/poller/branch-windows.ts (MIN_BRANCHES_TO_JUDGE relayed). */
export function branchRate(relayed: number | null, failed: number | null): NodeHistoryPoint["branches"] {
  if (relayed === null || failed === null) return { relayed, failed, rate: null, verdict: "no_data" };
  if (failed > relayed) return { relayed, failed, rate: null, verdict: "inconsistent" };
  if (relayed < MIN_BRANCHES_TO_JUDGE) return { relayed, failed, rate: null, verdict: "too_few" };
  return { relayed, failed, rate: failed / relayed, verdict: "judged" };
}

async function resolveNode(db: Db, node: string | number): Promise<{ id: number; name: string } | null> {
  return db.kamailioNode.findUnique({
    where: typeof node === "number" ? { id: node } : { name: node },
    select: { id: true, name: true },
  });
}

/**
 * One node's history over the range ending at `now`, one point per bucket: connections, registrations, dialogs,
 * branch-failure rate (Δfailed ÷ Δrelayed, judged from MIN_BRANCHES_TO_JUDGE relayed), handshake latency and
 * failures (HandshakeAttempt rows or the rollups' handshake columns), Kamailio's websocket handshake counters' Δ,
 * RTPEngine sessions vs answered calls. Reads raw samples up to 6 h, else 1-minute or 1-hour rollups (and raw
 * samples for the buckets the rollup job has not reached yet). Buckets: at least 1 minute, ≤ 1500 per range.
 * Returns null for an unknown node (by name or id); throws what Prisma throws.
 */
export async function getNodeHistory(
  db: Db,
  node: string | number,
  range: HistoryRange,
  options: { now?: Date; resolution?: Resolution } = {},
): Promise<NodeHistory | null> {
  const found = await resolveNode(db, node);
  if (!found) return null;
  const to = options.now ?? new Date();
  const rangeMs = HISTORY_RANGE_MS[range];
  const resolution =
    options.resolution ??
    pickResolution({ from: new Date(to.getTime() - rangeMs), to }, await getRetentionHorizons(db));
  const widthMs = Math.max(RESOLUTION_WIDTH_MS[resolution], MIN_BUCKET_MS);
  const bucketMs = rollupBucketMs(rangeMs, widthMs);
  const from = new Date(Math.floor((to.getTime() - rangeMs) / bucketMs) * bucketMs);
  const end = new Date(to.getTime() + 1); // the sample at `to` included
  let parts: Prisma.Sql;
  if (resolution === "raw") {
    parts = rawNodeBucketsSql(found.id, from, end, bucketMs / 1000);
  } else {
    const table = ROLLUP_TABLES[resolution];
    const done = await db.$queryRaw<{ last: Date | null }[]>`
      SELECT max(bucket) AS last FROM ${Prisma.raw(table.samples)} WHERE node_id = ${found.id}`;
    const last = done[0]?.last;
    const until = new Date(Math.max(from.getTime(), last ? new Date(last).getTime() + widthMs : 0));
    parts = Prisma.sql`${rollupNodeBucketsSql(table, found.id, from, until)}
      UNION ALL (${rawNodeBucketsSql(found.id, until, end, table.widthS)})`;
    if (bucketMs !== widthMs) parts = regroupSql(parts, bucketMs / 1000);
  }
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`SELECT * FROM (${parts}) b ORDER BY at`);
  const byAt = new Map(rows.map((row) => [new Date(row.at).getTime(), row]));
  const points: NodeHistoryPoint[] = [];
  for (let at = from.getTime(); at <= to.getTime(); at += bucketMs) points.push(toPoint(at, byAt.get(at)));
  return {
    node: found,
    range,
    from: from.toISOString(),
    to: to.toISOString(),
    resolution,
    bucketMs,
    handshakePercentilesExact: resolution === "raw" || bucketMs === widthMs,
    points,
  };
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function toPoint(atMs: number, row: Row | undefined): NodeHistoryPoint {
  const up = row ? (num(row.up_n) ?? 0) > 0 : null;
  // a down bucket has no numbers (the SQL gives nulls); `up` says why
  const value = (key: string) => (up ? num(row?.[key]) : null);
  const attempts = num(row?.hs_attempts);
  const ok = num(row?.hs_ok) ?? 0;
  return {
    at: new Date(atMs).toISOString(),
    up,
    ws: value("ws"),
    wss: value("wss"),
    registrations: value("registrations"),
    dialogsActive: value("dialogs_active"),
    dialogsEarly: value("dialogs_early"),
    rtpengineSessions: value("sessions"),
    callsAnswered: value("calls"),
    socketsWithoutRegistration: value("sockets_without"),
    branches: branchRate(value("relayed"), value("failed")),
    handshake:
      attempts === null || attempts === 0
        ? null
        : {
            attempts,
            failures: attempts - ok,
            p50Ms: num(row?.hs_p50),
            p95Ms: num(row?.hs_p95),
            maxMs: num(row?.hs_max),
          },
    wsHandshakesOk: value("ws_ok"),
    wsHandshakesFailed: value("ws_failed"),
  };
}
