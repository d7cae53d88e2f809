import { Prisma } from "@/lib/generated/prisma/client";
import type { SeriesMetric, SeriesPoint } from "@/lib/poller/snapshot";
import type { Db } from "../db";

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

export const MAX_SERIES_POINTS = 1500;

export type SeriesQuery = { nodeId: number; metric: SeriesMetric; from: Date; to: Date; maxPoints?: number };

export type SeriesResult = {
  /** 0 when every sample is returned; otherwise the bucket width (value = average while up). */
  bucketMs: number;
  points: SeriesPoint[];
};

type Row = { at: Date; value: number | string | bigint | null; up: boolean | null };

/**
 * One metric of one node between from and to. Down samples are points with value null (gaps, never zeros).
 * Long ranges are averaged into at most maxPoints time buckets; a bucket is up when any sample in it was.
 */
export async function getSeries(db: Db, query: SeriesQuery): Promise<SeriesResult> {
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
    return { bucketMs: 0, points: rows.map(toPoint) };
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
  return { bucketMs, points: rows.map(toPoint) };
}

function toPoint(row: Row): SeriesPoint {
  const up = row.up === true;
  return {
    at: new Date(row.at).toISOString(),
    value: up && row.value !== null ? Number(row.value) : null,
    up,
  };
}
