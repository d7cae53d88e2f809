import { MIN_BRANCHES_TO_JUDGE } from "@/lib/poller/branch-windows";
import type { Db } from "../db";

/** The wall's four health numbers, one sparkline each. */
export const SPARKLINE_KEYS = ["branch-failure", "handshake", "sessions", "sockets"] as const;
export type SparklineKey = (typeof SPARKLINE_KEYS)[number];

/** One minute of a sparkline: its start (ISO) and the value, null when there was nothing to judge (a gap). */
export type SparkPoint = { at: string; value: number | null };

export type HealthSparklines = {
  /** Start of the first minute and end of the last minute the rollups hold (ISO), 60 minutes before `now`. */
  from: string;
  to: string;
  series: Record<SparklineKey, SparkPoint[]>;
};

type Row = {
  at: Date;
  worst_rate: number | null;
  p95: number | null;
  gap: number | null;
  sockets: number | null;
};

const MINUTE_MS = 60_000;

/**
 * The last hour of the wall's health numbers per minute, from the 1-minute rollups (finished minutes only: the
 * rollup job runs every minute, so the line ends a minute or two before now; the tile beside it is live):
 * - branch-failure: the worst failed ÷ relayed of any node and bridge direction with ≥ MIN_BRANCHES_TO_JUDGE
 *   relayed in the minute (ratio 0..1; null when none could be judged);
 * - handshake: the highest per-node handshake p95 of the minute, ms (nearest-rank over that node's ok attempts);
 * - sessions: the node gap (RTPEngine sessions − answered calls, minute averages) largest in size, signed;
 * - sockets: WS/WSS connections without a registration summed over the nodes that joined ul.dump in the minute.
 * A minute without a value (nodes down, nothing measured, kamdash stopped) is null: a gap, never 0.
 * Throws what Prisma throws.
 */
export async function getHealthSparklines(db: Db, options: { now?: Date } = {}): Promise<HealthSparklines> {
  const now = options.now ?? new Date();
  const to = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const from = to - 60 * MINUTE_MS;
  const rows = await db.$queryRaw<Row[]>`
    WITH r AS (
      SELECT bucket,
             max(handshake_p95_ms) AS p95,
             (array_agg(rtpengine_sessions_avg - calls_answered_avg
                        ORDER BY abs(rtpengine_sessions_avg - calls_answered_avg) DESC)
                FILTER (WHERE rtpengine_sessions_avg IS NOT NULL AND calls_answered_avg IS NOT NULL))[1] AS gap,
             sum(sockets_without_registration_avg) AS sockets
      FROM rollup_1m WHERE bucket >= ${new Date(from)} AND bucket < ${new Date(to)}
      GROUP BY bucket
    ),
    b AS (
      SELECT bucket,
             max(CASE WHEN relayed >= ${MIN_BRANCHES_TO_JUDGE} AND failed <= relayed
                      THEN failed::float8 / relayed END) AS worst_rate
      FROM branch_rollup_1m WHERE bucket >= ${new Date(from)} AND bucket < ${new Date(to)}
      GROUP BY bucket
    )
    SELECT COALESCE(r.bucket, b.bucket) AS at, b.worst_rate, r.p95::float8 AS p95, r.gap::float8 AS gap,
           r.sockets::float8 AS sockets
    FROM r FULL JOIN b ON b.bucket = r.bucket`;
  const byMinute = new Map(rows.map((row) => [new Date(row.at).getTime(), row]));
  const series: HealthSparklines["series"] = {
    "branch-failure": [],
    handshake: [],
    sessions: [],
    sockets: [],
  };
  for (let at = from; at < to; at += MINUTE_MS) {
    const row = byMinute.get(at);
    const iso = new Date(at).toISOString();
    const value = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
    series["branch-failure"].push({ at: iso, value: value(row?.worst_rate) });
    series.handshake.push({ at: iso, value: value(row?.p95) });
    series.sessions.push({ at: iso, value: value(row?.gap) });
    series.sockets.push({ at: iso, value: value(row?.sockets) });
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), series };
}
