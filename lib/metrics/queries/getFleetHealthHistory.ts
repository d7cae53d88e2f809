import { MIN_BRANCHES_TO_JUDGE } from "@/lib/poller/branch-windows";
import type { Db } from "../db";
import { HISTORY_RANGE_MS, type HistoryRange } from "../history-range";
import { bucketSql, ROLLUP_TABLES, type RollupResolution } from "../rollup-columns";

// The overview's health charts: the seed's numbers over the whole fleet, per chart bucket, from the rollups.

/** Which rollup each range reads and its chart bucket width, s (at most ~300 points per chart). */
const PLAN: Record<HistoryRange, { store: RollupResolution; bucketS: number }> = {
  "1h": { store: "1m", bucketS: 60 },
  "24h": { store: "1m", bucketS: 300 },
  "7d": { store: "1h", bucketS: 3600 },
  "30d": { store: "1h", bucketS: 3 * 3600 },
};

export type FleetHealthPoint = {
  /** Bucket start, ISO. */
  at: string;
  /** Fleet failed ÷ relayed branches over every node and direction (0..1); null with fewer than
   * MIN_BRANCHES_TO_JUDGE relayed in the bucket (too few to judge) or none. */
  branchFailureRate: number | null;
  /** Branches relayed in the bucket (to tell "too few" from "none"). */
  branchesRelayed: number | null;
  /** The highest handshake p95 of any node in any rollup bucket inside this bucket, ms (an upper bound). */
  handshakeP95MaxMs: number | null;
  /** RTPEngine own sessions and answered calls, summed over the nodes that knew both, averaged over the bucket. */
  rtpengineSessions: number | null;
  callsAnswered: number | null;
};

export type FleetHealthHistory = {
  range: HistoryRange;
  store: RollupResolution;
  bucketMs: number;
  from: string;
  to: string;
  points: FleetHealthPoint[];
};

type Row = {
  at: Date;
  relayed: number | null;
  failed: number | null;
  p95: number | null;
  sessions: number | null;
  calls: number | null;
};

/**
 * The fleet's health numbers over `range` from the 1-minute (1 h, 24 h) or 1-hour rollups (7 d, 30 d), one point
 * per chart bucket from the start of the range to the last finished rollup bucket; a bucket with nothing stored is
 * all null (a gap, never 0). Throws what Prisma throws.
 */
export async function getFleetHealthHistory(
  db: Db,
  range: HistoryRange,
  options: { now?: Date } = {},
): Promise<FleetHealthHistory> {
  const { store, bucketS } = PLAN[range];
  const table = ROLLUP_TABLES[store];
  const bucketMs = bucketS * 1000;
  const now = (options.now ?? new Date()).getTime();
  const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const from = to - Math.ceil(HISTORY_RANGE_MS[range] / bucketMs) * bucketMs;
  const chartBucket = (column: string) => bucketSql(bucketS, column);
  // table names and bucket SQL come from fixed whitelists (rollup-columns.ts); times are bound parameters
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH per AS (
       SELECT bucket, max(handshake_p95_ms) AS p95,
              sum(rtpengine_sessions_avg) FILTER (WHERE rtpengine_sessions_avg IS NOT NULL AND calls_answered_avg IS NOT NULL) AS sessions,
              sum(calls_answered_avg) FILTER (WHERE rtpengine_sessions_avg IS NOT NULL AND calls_answered_avg IS NOT NULL) AS calls
       FROM ${table.samples} WHERE bucket >= $1 AND bucket < $2 GROUP BY bucket
     ),
     r AS (
       SELECT ${chartBucket("bucket")} AS at, max(p95) AS p95, avg(sessions) AS sessions, avg(calls) AS calls
       FROM per GROUP BY 1
     ),
     b AS (
       SELECT ${chartBucket("bucket")} AS at, sum(relayed) AS relayed, sum(failed) AS failed
       FROM ${table.branches} WHERE bucket >= $1 AND bucket < $2 GROUP BY 1
     )
     SELECT COALESCE(r.at, b.at) AS at, b.relayed::float8 AS relayed, b.failed::float8 AS failed,
            r.p95::float8 AS p95, r.sessions::float8 AS sessions, r.calls::float8 AS calls
     FROM r FULL JOIN b ON b.at = r.at`,
    new Date(from),
    new Date(to),
  );
  const byBucket = new Map(rows.map((row) => [new Date(row.at).getTime(), row]));
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const points: FleetHealthPoint[] = [];
  for (let at = from; at < to; at += bucketMs) {
    const row = byBucket.get(at);
    const relayed = num(row?.relayed);
    const failed = num(row?.failed);
    const judged =
      relayed !== null && failed !== null && relayed >= MIN_BRANCHES_TO_JUDGE && failed <= relayed;
    points.push({
      at: new Date(at).toISOString(),
      branchFailureRate: judged ? (failed as number) / (relayed as number) : null,
      branchesRelayed: relayed,
      handshakeP95MaxMs: num(row?.p95),
      rtpengineSessions: num(row?.sessions),
      callsAnswered: num(row?.calls),
    });
  }
  return {
    range,
    store,
    bucketMs,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    points,
  };
}
