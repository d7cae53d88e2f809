import { Prisma } from "@/lib/generated/prisma/client";
import {
  bucketSql,
  COUNTER_COLUMNS,
  GAUGE_COLUMNS,
  LAST_COUNTER_COLUMNS,
  lastSql,
  ROLLUP_VALUE_COLUMNS,
  type RollupTable,
} from "./rollup-columns";

// The two statements that (re)compute the buckets of [start, end) from raw samples: INSERT … ON CONFLICT DO UPDATE,
// so running them again over the same range writes the same rows. Counter deltas follow getCounterDeltas' rule:
// between consecutive up samples of a node (the one before `start` included, so a bucket's first sample has its
// delta), none on a sample marked `restarted`, none where either value is null, none when the value went down.

const SAMPLE_ROW = ["node_id", "at", "up", "restarted", ...GAUGE_COLUMNS, ...COUNTER_COLUMNS]
  .map((c) => `s.${c}`)
  .join(", ");

/** Per node, its last up sample before `start` (the `previous` of the range's first up sample). */
function previousUpSql(columns: string, start: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT p.* FROM kamailio_node n CROSS JOIN LATERAL (
      SELECT ${Prisma.raw(columns)} FROM sample s
      WHERE s.node_id = n.id AND s.up AND s.at < ${start}
      ORDER BY s.at DESC LIMIT 1
    ) p`;
}

/** SQL: the increase from `previous` to `value`; NULL on a restart mark, a drop, or when either is NULL. */
const delta = (value: string, previous: string) =>
  `CASE WHEN NOT restarted AND ${value} >= ${previous} THEN ${value} - ${previous} END`;

/** Gauges: min/avg/max/last over up samples; counters: sum of deltas; a bucket without an up sample is all null. */
export function rollupSamplesSql(table: RollupTable, start: Date, end: Date): Prisma.Sql {
  const bucket = bucketSql(table.widthS, "at");
  const values = [
    "count(*)::int",
    "(count(*) FILTER (WHERE up))::int",
    ...GAUGE_COLUMNS.flatMap((g) => [
      `min(${g}) FILTER (WHERE up)`,
      `(avg(${g}) FILTER (WHERE up))::float8`,
      `max(${g}) FILTER (WHERE up)`,
      lastSql(g, "at", "up"),
    ]),
    // down rows have null counters (sampleColumns), so their delta is null too
    ...COUNTER_COLUMNS.map((c) => `sum(${delta(c, `${c}_prev`)})::bigint`),
    ...LAST_COUNTER_COLUMNS.map((c) => lastSql(c, "at", "up")),
  ];
  const lags = COUNTER_COLUMNS.map((c) => `lag(${c}) OVER w AS ${c}_prev`).join(", ");
  const updates = ROLLUP_VALUE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(", ");
  return Prisma.sql`
    WITH seq AS (
      SELECT ${Prisma.raw(SAMPLE_ROW)} FROM sample s WHERE s.at >= ${start} AND s.at < ${end}
      UNION ALL ${previousUpSql(SAMPLE_ROW, start)}
    ),
    lagged AS (
      SELECT seq.*, ${Prisma.raw(lags)} FROM seq WINDOW w AS (PARTITION BY node_id, up ORDER BY at)
    )
    INSERT INTO ${Prisma.raw(table.samples)} (node_id, bucket, ${Prisma.raw(ROLLUP_VALUE_COLUMNS.join(", "))})
    SELECT node_id, ${Prisma.raw(bucket)}, ${Prisma.raw(values.join(",\n      "))}
    FROM lagged WHERE at >= ${start}
    GROUP BY 1, 2
    ON CONFLICT (node_id, bucket) DO UPDATE SET ${Prisma.raw(updates)}`;
}

/**
 * Per node, bucket and bridge direction: the sums of relayed/failed deltas. A direction is followed over every up
 * sample of its node, so a sample without that direction's row (probe failing) breaks the chain like a null value.
 */
export function rollupBranchesSql(table: RollupTable, start: Date, end: Date): Prisma.Sql {
  const rowColumns = "s.id, s.node_id, s.at, s.restarted";
  return Prisma.sql`
    WITH seq AS (
      SELECT ${Prisma.raw(rowColumns)} FROM sample s WHERE s.up AND s.at >= ${start} AND s.at < ${end}
      UNION ALL ${previousUpSql(rowColumns, start)}
    ),
    directions AS (
      SELECT DISTINCT q.node_id, b.direction FROM seq q JOIN branch_sample b ON b.sample_id = q.id AND b.sample_at = q.at
    ),
    lagged AS (
      SELECT q.node_id, d.direction, q.at, q.restarted, b.relayed, b.failed,
             lag(b.relayed) OVER w AS relayed_prev, lag(b.failed) OVER w AS failed_prev
      FROM seq q JOIN directions d ON d.node_id = q.node_id
      LEFT JOIN branch_sample b ON b.sample_id = q.id AND b.sample_at = q.at AND b.direction = d.direction
      WINDOW w AS (PARTITION BY q.node_id, d.direction ORDER BY q.at)
    )
    INSERT INTO ${Prisma.raw(table.branches)} (node_id, bucket, direction, relayed, failed)
    SELECT node_id, ${Prisma.raw(bucketSql(table.widthS, "at"))}, direction,
           sum(${Prisma.raw(delta("relayed", "relayed_prev"))})::bigint,
           sum(${Prisma.raw(delta("failed", "failed_prev"))})::bigint
    FROM lagged WHERE at >= ${start}
    GROUP BY 1, 2, 3
    ON CONFLICT (node_id, bucket, direction) DO UPDATE SET relayed = EXCLUDED.relayed, failed = EXCLUDED.failed`;
}

/**
 * Per node and bucket, from the raw handshake_attempt rows of [start, end): attempts, ok attempts, and the p50, p95
 * and max of the ok attempts' handshakeMs (ms; TCP connect to the end of the upgrade). Percentiles are nearest-rank
 * (the ⌈p·n⌉-th smallest, exact decimal arithmetic), the same rule as lib/poller/handshake-windows.ts, so a 1-hour
 * bucket agrees with the live 1 h window over the same attempts; both tables are computed from the attempts
 * themselves, never from finer percentiles. Fills rows the samples statement wrote (a cycle writes its sample and
 * its attempt together); a bucket without attempts keeps NULL (no probe ran: not 0 attempts).
 */
export function rollupHandshakesSql(table: RollupTable, start: Date, end: Date): Prisma.Sql {
  return Prisma.sql`
    WITH a AS (
      SELECT node_id, ${Prisma.raw(bucketSql(table.widthS, "at"))} AS bucket, count(*)::int AS attempts,
             (count(*) FILTER (WHERE outcome = 'ok'))::int AS ok,
             array_agg(handshake_ms ORDER BY handshake_ms)
               FILTER (WHERE outcome = 'ok' AND handshake_ms IS NOT NULL) AS ms
      FROM handshake_attempt WHERE at >= ${start} AND at < ${end}
      GROUP BY 1, 2
    )
    UPDATE ${Prisma.raw(table.samples)} r SET
      handshake_attempts = a.attempts,
      handshake_ok = a.ok,
      handshake_p50_ms = a.ms[GREATEST(1, ceil(0.50 * cardinality(a.ms))::int)],
      handshake_p95_ms = a.ms[GREATEST(1, ceil(0.95 * cardinality(a.ms))::int)],
      handshake_max_ms = a.ms[cardinality(a.ms)]
    FROM a WHERE r.node_id = a.node_id AND r.bucket = a.bucket`;
}
