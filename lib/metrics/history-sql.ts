import { Prisma } from "@/lib/generated/prisma/client";
import { bucketSql, lastSql, type RollupTable } from "./rollup-columns";

// SQL of the chart queries at a rollup resolution (getSeries, getOverviewHistory). Rows come from the rollup table
// up to the end of its newest bucket and, after that (the buckets the rollup job has not reached yet, e.g. the
// last minute or hour), from raw samples grouped into the same buckets. When the chart's bucket is wider (a whole
// number of rollup buckets), they are grouped again: averages weighted by up samples, maxima of maxima, the last
// of the last values; a bucket is up when any of its samples was. Only whitelisted names reach SQL text.

/** Weighted average of `avg` by `weight` over the group, exactly `avg` when one row has a value; NULL when none. */
function weightedAvgSql(avg: string, weight: string): string {
  return `CASE WHEN count(${avg}) = 1 THEN max(${avg})
    ELSE sum(${avg} * ${weight}) FILTER (WHERE ${avg} IS NOT NULL)
         / NULLIF(sum(${weight}) FILTER (WHERE ${avg} IS NOT NULL), 0) END`;
}

/** Epoch-aligned start of a table's rows for the chart: the end of its newest bucket, or `fallback` when empty. */
function doneSql(table: RollupTable, nodeFilter: Prisma.Sql, fallback: Date): Prisma.Sql {
  return Prisma.sql`SELECT COALESCE(max(bucket) + interval '${Prisma.raw(String(table.widthS))} seconds',
    ${fallback}::timestamptz) AS until FROM ${Prisma.raw(table.samples)} WHERE ${nodeFilter}`;
}

export type RollupSeriesQuery = {
  table: RollupTable;
  nodeId: number;
  /** Sample column of the metric (whitelisted by the caller). */
  column: string;
  /** gauge: weighted average of bucket averages; counter: the reading at the last up sample. */
  kind: "gauge" | "counter";
  /** Start of the first rollup bucket of the range (epoch-aligned), end of the range (exclusive). */
  from: Date;
  to: Date;
  bucketMs: number;
};

/** Rows `{ at, value, up }` of one node's metric, one per chart bucket that has samples. */
export function rollupSeriesSql(q: RollupSeriesQuery): Prisma.Sql {
  const { table, column } = q;
  const rollupValue =
    q.kind === "gauge"
      ? `r.${column}_avg AS avg, NULL::bigint AS last`
      : `NULL::float8 AS avg, r.${column}_last AS last`;
  const rawValue =
    q.kind === "gauge"
      ? `(avg(s.${column}) FILTER (WHERE s.up))::float8 AS avg, NULL::bigint AS last`
      : `NULL::float8 AS avg, ${lastSql(`s.${column}`, "s.at", "s.up")}::bigint AS last`;
  const value = q.kind === "gauge" ? weightedAvgSql("avg", "up_n") : lastSql("last", "at");
  return Prisma.sql`
    WITH done AS (${doneSql(table, Prisma.sql`node_id = ${q.nodeId}`, q.from)}),
    parts AS (
      SELECT r.bucket AS at, r.up_samples AS up_n, ${Prisma.raw(rollupValue)}
      FROM ${Prisma.raw(table.samples)} r, done
      WHERE r.node_id = ${q.nodeId} AND r.bucket >= ${q.from} AND r.bucket < ${q.to} AND r.bucket < done.until
      UNION ALL
      SELECT ${Prisma.raw(bucketSql(table.widthS, "s.at"))}, count(*) FILTER (WHERE s.up), ${Prisma.raw(rawValue)}
      FROM sample s, done
      WHERE s.node_id = ${q.nodeId} AND s.at >= GREATEST(${q.from}::timestamptz, done.until) AND s.at < ${q.to}
      GROUP BY 1
    )
    ${
      q.bucketMs === table.widthS * 1000
        ? Prisma.raw(
            `SELECT at, ${q.kind === "gauge" ? "avg" : "last::float8"} AS value, up_n > 0 AS up FROM parts`,
          )
        : Prisma.raw(`SELECT ${bucketSql(q.bucketMs / 1000, "at")} AS at, (${value})::float8 AS value,
             sum(up_n) > 0 AS up
           FROM parts GROUP BY 1`)
    }
    ORDER BY 1`;
}

/** The numbers of the overview chart: [alias, Sample column]. */
export const OVERVIEW_COLUMNS = [
  ["ws", "ws_connections"],
  ["wss", "wss_connections"],
  ["reg", "registrations"],
  ["dlg", "dialogs_active"],
] as const;

/** Rows `{ name, at, up, <alias>_avg, <alias>_max }` per node and chart bucket in [from, to] (to included), unordered. */
export function rollupOverviewSql(q: {
  table: RollupTable;
  from: Date;
  to: Date;
  bucketMs: number;
}): Prisma.Sql {
  const { table } = q;
  const rollupValues = OVERVIEW_COLUMNS.map(([a, c]) => `r.${c}_avg AS ${a}_avg, r.${c}_max AS ${a}_max`);
  const rawValues = OVERVIEW_COLUMNS.map(
    ([a, c]) =>
      `(avg(s.${c}) FILTER (WHERE s.up))::float8 AS ${a}_avg, max(s.${c}) FILTER (WHERE s.up) AS ${a}_max`,
  );
  const chartBuckets =
    q.bucketMs === table.widthS * 1000
      ? `SELECT node_id, at, up_n > 0 AS up,
           ${OVERVIEW_COLUMNS.map(([a]) => `${a}_avg, ${a}_max::float8 AS ${a}_max`).join(", ")}
         FROM parts`
      : `SELECT node_id, ${bucketSql(q.bucketMs / 1000, "at")} AS at, sum(up_n) > 0 AS up,
           ${OVERVIEW_COLUMNS.map(([a]) => `(${weightedAvgSql(`${a}_avg`, "up_n")})::float8 AS ${a}_avg, max(${a}_max)::float8 AS ${a}_max`).join(", ")}
         FROM parts GROUP BY 1, 2`;
  return Prisma.sql`
    WITH done AS (${doneSql(table, Prisma.sql`true`, q.from)}),
    parts AS (
      SELECT r.node_id, r.bucket AS at, r.up_samples AS up_n, ${Prisma.raw(rollupValues.join(", "))}
      FROM ${Prisma.raw(table.samples)} r, done
      WHERE r.bucket >= ${q.from} AND r.bucket <= ${q.to} AND r.bucket < done.until
      UNION ALL
      SELECT s.node_id, ${Prisma.raw(bucketSql(table.widthS, "s.at"))}, count(*) FILTER (WHERE s.up),
             ${Prisma.raw(rawValues.join(", "))}
      FROM sample s, done
      WHERE s.at >= GREATEST(${q.from}::timestamptz, done.until) AND s.at <= ${q.to}
      GROUP BY 1, 2
    ),
    chart AS (${Prisma.raw(chartBuckets)})
    SELECT n.name, c.* FROM chart c JOIN kamailio_node n ON n.id = c.node_id`;
}
