import { Prisma } from "@/lib/generated/prisma/client";
import type { SeriesMetric, SeriesPoint } from "@/lib/poller/snapshot";
import type { Db } from "../db";
import { rollupSeriesSql } from "../history-sql";
import { MAX_CHART_POINTS, pickResolution, RESOLUTION_WIDTH_MS, rollupBucketMs } from "../resolution";
import { type Resolution, ROLLUP_TABLES } from "../rollup-columns";
import { getRetentionHorizons } from "./getRetentionHorizons";

// Column per metric (a fixed whitelist: only these names ever reach the SQL text).
const metricColumns: Record<SeriesMetric, string> = {
  ws: "ws_connections",
  wss: "wss_connections",
  registrations: "registrations",
  aors: "aors",
  dialogsActive: "dialogs_active",
  dialogsEarly: "dialogs_early",
  rtpengineUp: "rtpengine_up",
  rtpengineTotal: "rtpengine_total",
  branchRelayed: "branch_relayed",
  branchFailed: "branch_failed",
  durationMs: "duration_ms",
};

// Counters: at a rollup resolution a point is the reading at the bucket's last up sample, not an average.
const counterMetrics: ReadonlySet<SeriesMetric> = new Set(["branchRelayed", "branchFailed"]);

export const MAX_SERIES_POINTS = MAX_CHART_POINTS;

export type SeriesQuery = {
  nodeId: number;
  metric: SeriesMetric;
  from: Date;
  to: Date;
  maxPoints?: number;
  /** Read this store whatever the range (benchmarks, tests); default: picked from the range (lib/metrics/resolution.ts). */
  resolution?: Resolution;
};

export type SeriesResult = {
  /** Where the points come from: raw samples, 1-minute or 1-hour rollups. */
  resolution: Resolution;
  /** 0 when every raw sample is returned; otherwise the bucket width, ms (value = average while up). */
  bucketMs: number;
  points: SeriesPoint[];
};

type Row = { at: Date; value: number | string | bigint | null; up: boolean | null };

/**
 * One metric of one node between from and to. Down samples are points with value null (gaps, never zeros).
 * Up to 6 h (while raw samples reach back to `from`) from raw samples, up to 7 days from 1-minute rollups, else
 * from 1-hour rollups. Long ranges are averaged into at most maxPoints time buckets (at a rollup resolution a
 * whole number of its buckets, epoch-aligned, the first one starting at or before `from`); a bucket is up when any
 * sample in it was. Counters (branchRelayed/Failed) at a rollup resolution give the last reading of each bucket.
 */
export async function getSeries(db: Db, query: SeriesQuery): Promise<SeriesResult> {
  const resolution = query.resolution ?? pickResolution(query, await getRetentionHorizons(db));
  if (resolution !== "raw") return getRollupSeries(db, query, resolution);
  const column = Prisma.raw(`"${metricColumns[query.metric]}"`);
  const maxPoints = query.maxPoints ?? MAX_SERIES_POINTS;
  const total = await db.sample.count({
    where: { nodeId: query.nodeId, at: { gte: query.from, lt: query.to } },
  });
  if (total <= maxPoints) {
    const rows = await db.$queryRaw<Row[]>`
      SELECT at, CASE WHEN up THEN ${column} END AS value, up
      FROM sample
      WHERE node_id = ${query.nodeId} AND at >= ${query.from} AND at < ${query.to}
      ORDER BY at`;
    return { resolution, bucketMs: 0, points: rows.map(toPoint) };
  }
  const spanMs = query.to.getTime() - query.from.getTime();
  const bucketMs = Math.max(1000, Math.ceil(spanMs / maxPoints / 1000) * 1000);
  const rows = await db.$queryRaw<Row[]>`
    SELECT date_bin(make_interval(secs => ${bucketMs / 1000}), at, ${query.from}) AS at,
           avg(${column}) FILTER (WHERE up)::float8 AS value,
           bool_or(up) AS up
    FROM sample
    WHERE node_id = ${query.nodeId} AND at >= ${query.from} AND at < ${query.to}
    GROUP BY 1
    ORDER BY 1`;
  return { resolution, bucketMs, points: rows.map(toPoint) };
}

async function getRollupSeries(db: Db, query: SeriesQuery, resolution: "1m" | "1h"): Promise<SeriesResult> {
  const widthMs = RESOLUTION_WIDTH_MS[resolution];
  const spanMs = query.to.getTime() - query.from.getTime();
  const bucketMs = rollupBucketMs(spanMs, widthMs, { maxPoints: query.maxPoints });
  const rows = await db.$queryRaw<Row[]>(
    rollupSeriesSql({
      table: ROLLUP_TABLES[resolution],
      nodeId: query.nodeId,
      column: metricColumns[query.metric],
      kind: counterMetrics.has(query.metric) ? "counter" : "gauge",
      from: new Date(Math.floor(query.from.getTime() / widthMs) * widthMs),
      to: query.to,
      bucketMs,
    }),
  );
  return { resolution, bucketMs, points: rows.map(toPoint) };
}

function toPoint(row: Row): SeriesPoint {
  const up = row.up === true;
  return {
    at: new Date(row.at).toISOString(),
    value: up && row.value !== null ? Number(row.value) : null,
    up,
  };
}
