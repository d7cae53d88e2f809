import { Prisma } from "@/lib/generated/prisma/client";
import { bucketSql, type RollupTable } from "./rollup-columns";

// SQL of one node's history (getNodeHistory): one row per bucket with the node page's numbers. Every name that
// reaches SQL text comes from the fixed lists below. Counter deltas follow getCounterDeltas' rule (consecutive up
// samples, none on a `restarted` sample, none on a drop or a null); handshake percentiles are nearest-rank over the
// ok attempts (as lib/poller/handshake-windows.ts and rollupHandshakesSql).

/** [alias, Sample gauge column]: averaged over the up samples of a bucket. */
export const NODE_GAUGES = [
  ["ws", "ws_connections"],
  ["wss", "wss_connections"],
  ["registrations", "registrations"],
  ["dialogs_active", "dialogs_active"],
  ["dialogs_early", "dialogs_early"],
  ["sessions", "rtpengine_sessions"],
  ["calls", "calls_answered"],
  ["sockets_without", "sockets_without_registration"],
] as const;

/** [alias, Sample counter column]: the sum of the deltas in a bucket. */
export const NODE_COUNTERS = [
  ["relayed", "branch_relayed"],
  ["failed", "branch_failed"],
  ["ws_ok", "ws_handshakes_ok"],
  ["ws_failed", "ws_handshakes_failed"],
] as const;

/** What every bucket row carries (the names of the columns the SQL returns, in this order). */
export const NODE_HISTORY_COLUMNS = [
  "up_n",
  "samples",
  ...NODE_GAUGES.map(([a]) => a),
  ...NODE_COUNTERS.map(([a]) => a),
  "hs_attempts",
  "hs_ok",
  "hs_p50",
  "hs_p95",
  "hs_max",
] as const;

const delta = (value: string, previous: string) =>
  `CASE WHEN NOT restarted AND ${value} >= ${previous} THEN ${value} - ${previous} END`;

const nearestRank = (array: string, p: string) =>
  `${array}[GREATEST(1, ceil(${p} * cardinality(${array}))::int)]`;

/**
 * Buckets of `widthS` seconds (epoch-aligned) of the node's raw samples and handshake attempts in [from, to):
 * columns NODE_HISTORY_COLUMNS plus `at`. The node's last up sample before `from` gives the first delta.
 */
export function rawNodeBucketsSql(nodeId: number, from: Date, to: Date, widthS: number): Prisma.Sql {
  const columns = [
    "at",
    "up",
    "restarted",
    ...NODE_GAUGES.map(([, c]) => c),
    ...NODE_COUNTERS.map(([, c]) => c),
  ]
    .map((c) => `s.${c}`)
    .join(", ");
  const lags = NODE_COUNTERS.map(([, c]) => `lag(${c}) OVER w AS ${c}_prev`).join(", ");
  const values = [
    "(count(*) FILTER (WHERE up))::int AS up_n",
    "count(*)::int AS samples",
    ...NODE_GAUGES.map(([a, c]) => `(avg(${c}) FILTER (WHERE up))::float8 AS ${a}`),
    ...NODE_COUNTERS.map(([a, c]) => `(sum(${delta(c, `${c}_prev`)}))::float8 AS ${a}`),
  ].join(", ");
  const bucket = (column: string) => bucketSql(widthS, column);
  return Prisma.sql`
    WITH seq AS (
      SELECT ${Prisma.raw(columns)} FROM sample s WHERE s.node_id = ${nodeId} AND s.at >= ${from} AND s.at < ${to}
      UNION ALL (
        SELECT ${Prisma.raw(columns)} FROM sample s WHERE s.node_id = ${nodeId} AND s.up AND s.at < ${from}
        ORDER BY s.at DESC LIMIT 1
      )
    ),
    lagged AS (SELECT seq.*, ${Prisma.raw(lags)} FROM seq WINDOW w AS (PARTITION BY up ORDER BY at)),
    samples AS (
      SELECT ${Prisma.raw(bucket("at"))} AS at, ${Prisma.raw(values)}
      FROM lagged WHERE at >= ${from} GROUP BY 1
    ),
    attempts AS (
      SELECT ${Prisma.raw(bucket("at"))} AS at, count(*)::int AS hs_attempts,
             (count(*) FILTER (WHERE outcome = 'ok'))::int AS hs_ok,
             array_agg(handshake_ms ORDER BY handshake_ms)
               FILTER (WHERE outcome = 'ok' AND handshake_ms IS NOT NULL) AS ms
      FROM handshake_attempt WHERE node_id = ${nodeId} AND at >= ${from} AND at < ${to}
      GROUP BY 1
    )
    SELECT samples.*, attempts.hs_attempts, attempts.hs_ok,
           ${Prisma.raw(nearestRank("attempts.ms", "0.50"))}::float8 AS hs_p50,
           ${Prisma.raw(nearestRank("attempts.ms", "0.95"))}::float8 AS hs_p95,
           attempts.ms[cardinality(attempts.ms)]::float8 AS hs_max
    FROM samples LEFT JOIN attempts USING (at)`;
}

/** The node's rollup rows in [from, until) as bucket rows (columns NODE_HISTORY_COLUMNS plus `at`). */
export function rollupNodeBucketsSql(
  table: RollupTable,
  nodeId: number,
  from: Date,
  until: Date,
): Prisma.Sql {
  const values = [
    "r.up_samples AS up_n",
    "r.samples",
    ...NODE_GAUGES.map(([a, c]) => `r.${c}_avg AS ${a}`),
    ...NODE_COUNTERS.map(([a, c]) => `r.${c}_delta::float8 AS ${a}`),
    "r.handshake_attempts AS hs_attempts",
    "r.handshake_ok AS hs_ok",
    "r.handshake_p50_ms AS hs_p50",
    "r.handshake_p95_ms AS hs_p95",
    "r.handshake_max_ms AS hs_max",
  ].join(", ");
  return Prisma.sql`
    SELECT r.bucket AS at, ${Prisma.raw(values)} FROM ${Prisma.raw(table.samples)} r
    WHERE r.node_id = ${nodeId} AND r.bucket >= ${from} AND r.bucket < ${until}`;
}

/**
 * Groups store buckets into chart buckets of `bucketS` seconds: gauges weighted by up samples, deltas and attempts
 * summed, handshake max of maxima, p95 the highest store-bucket p95 and p50 the ok-weighted mean of p50s (not
 * percentiles of the attempts: the caller labels them).
 */
export function regroupSql(parts: Prisma.Sql, bucketS: number): Prisma.Sql {
  const weighted = (a: string, w: string) =>
    `(sum(${a} * ${w}) FILTER (WHERE ${a} IS NOT NULL) / NULLIF(sum(${w}) FILTER (WHERE ${a} IS NOT NULL), 0))::float8 AS ${a}`;
  const values = [
    "sum(up_n)::int AS up_n",
    "sum(samples)::int AS samples",
    ...NODE_GAUGES.map(([a]) => weighted(a, "up_n")),
    ...NODE_COUNTERS.map(([a]) => `sum(${a})::float8 AS ${a}`),
    "sum(hs_attempts)::int AS hs_attempts",
    "sum(hs_ok)::int AS hs_ok",
    weighted("hs_p50", "hs_ok"),
    "max(hs_p95) AS hs_p95",
    "max(hs_max) AS hs_max",
  ].join(", ");
  return Prisma.sql`SELECT ${Prisma.raw(bucketSql(bucketS, "at"))} AS at, ${Prisma.raw(values)}
    FROM (${parts}) p GROUP BY 1`;
}
