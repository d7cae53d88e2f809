import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "../db";
import { rollupOverviewSql } from "../history-sql";
import { pickResolution, RESOLUTION_WIDTH_MS, rollupBucketMs } from "../resolution";
import { type Resolution, ROLLUP_TABLES } from "../rollup-columns";
import { getRetentionHorizons } from "./getRetentionHorizons";

export type AvgMax = { avg: number; max: number };

export type OverviewHistoryPoint = {
  /** Bucket start (ISO). */
  at: string;
  /** True when at least one sample in the bucket was up; the numbers are null when none was. */
  up: boolean;
  ws: AvgMax | null;
  wss: AvgMax | null;
  registrations: AvgMax | null;
  dialogsActive: AvgMax | null;
};

export type OverviewHistory = {
  from: string;
  to: string;
  bucketMs: number;
  nodes: { name: string; points: OverviewHistoryPoint[] }[];
};

/** What getOverviewHistory returns: the history plus where it was read from (raw samples, 1m or 1h rollups). */
export type OverviewHistoryResult = OverviewHistory & { resolution: Resolution };

export type OverviewHistoryOptions = {
  now?: Date;
  /** Range ending at `now`, ms; default 1 hour. */
  rangeMs?: number;
  /** Bucket width, ms; default 1 minute, at a rollup resolution widened to whole rollup buckets (≤ 1500 per node). */
  bucketMs?: number;
  /** Read this store whatever the range (benchmarks, tests); default: picked from the range. */
  resolution?: Resolution;
};

/** A bucket as PostgreSQL builds it: [buckets since `from`, up 1/0, ws avg, ws max, wss…, reg…, dlg…]. */
type PointTuple = (number | null)[];
type Row = { name: string; points: string };

/**
 * Per node, per bucket (default: last hour in 1-minute buckets) the average and maximum of the main numbers.
 * Ranges up to 6 h read raw samples (while retention kept them back to the range's start), up to 7 days 1-minute
 * rollups, longer ones 1-hour rollups; buckets are epoch-aligned, a bucket without an up sample is a gap.
 */
export async function getOverviewHistory(
  db: Db,
  options: OverviewHistoryOptions = {},
): Promise<OverviewHistoryResult> {
  const to = options.now ?? new Date();
  const rangeMs = options.rangeMs ?? 60 * 60 * 1000;
  const range = { from: new Date(to.getTime() - rangeMs), to };
  const resolution = options.resolution ?? pickResolution(range, await getRetentionHorizons(db));
  const widthMs = RESOLUTION_WIDTH_MS[resolution];
  const bucketMs =
    resolution === "raw"
      ? (options.bucketMs ?? 60 * 1000)
      : rollupBucketMs(rangeMs, widthMs, { requestedMs: options.bucketMs });
  const from = new Date(Math.floor((to.getTime() - rangeMs) / bucketMs) * bucketMs);
  const rows = await db.$queryRaw<Row[]>(
    perNodeSql(
      from,
      bucketMs,
      resolution === "raw"
        ? rawHistorySql(from, to, bucketMs)
        : rollupOverviewSql({ table: ROLLUP_TABLES[resolution], from, to, bucketMs }),
    ),
  );
  // bucket start by index, shared by every node's points
  const atOf: string[] = [];
  const at = (index: number) => {
    atOf[index] ??= new Date(from.getTime() + index * bucketMs).toISOString();
    return atOf[index];
  };
  const nodes = rows.map((row) => {
    const tuples = JSON.parse(row.points) as PointTuple[];
    const points = tuples.map(
      (t): OverviewHistoryPoint => ({
        at: at(t[0] ?? 0),
        up: t[1] === 1,
        ws: pair(t[2], t[3]),
        wss: pair(t[4], t[5]),
        registrations: pair(t[6], t[7]),
        dialogsActive: pair(t[8], t[9]),
      }),
    );
    return { name: row.name, points };
  });
  return {
    resolution,
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMs,
    nodes,
  };
}

/**
 * One row per node (by name) with its buckets as one JSON array of float8 arrays: thousands of small rows cost far
 * more to hand through the driver and Prisma than one text per node (30 days of a 20-node fleet: ~65 ms → ~30 ms).
 */
function perNodeSql(from: Date, bucketMs: number, buckets: Prisma.Sql): Prisma.Sql {
  const index = Prisma.sql`round((date_part('epoch', at) * 1000 - ${from.getTime()}) / ${bucketMs})`;
  return Prisma.sql`
    SELECT name, json_agg(ARRAY[${index}, up::int,
             ws_avg, ws_max, wss_avg, wss_max, reg_avg, reg_max, dlg_avg, dlg_max] ORDER BY at)::text AS points
    FROM (${buckets}) b
    GROUP BY name
    ORDER BY name`;
}

/** Raw samples grouped into buckets of bucketMs starting at `from` (samples at `to` included). */
function rawHistorySql(from: Date, to: Date, bucketMs: number): Prisma.Sql {
  return Prisma.sql`
    SELECT n.name,
           date_bin(make_interval(secs => ${bucketMs / 1000}), s.at, ${from}) AS at,
           bool_or(s.up) AS up,
           avg(s.ws_connections) FILTER (WHERE s.up)::float8 AS ws_avg,
           max(s.ws_connections) FILTER (WHERE s.up)::float8 AS ws_max,
           avg(s.wss_connections) FILTER (WHERE s.up)::float8 AS wss_avg,
           max(s.wss_connections) FILTER (WHERE s.up)::float8 AS wss_max,
           avg(s.registrations) FILTER (WHERE s.up)::float8 AS reg_avg,
           max(s.registrations) FILTER (WHERE s.up)::float8 AS reg_max,
           avg(s.dialogs_active) FILTER (WHERE s.up)::float8 AS dlg_avg,
           max(s.dialogs_active) FILTER (WHERE s.up)::float8 AS dlg_max
    FROM sample s JOIN kamailio_node n ON n.id = s.node_id
    WHERE s.at >= ${from} AND s.at <= ${to}
    GROUP BY n.name, 2`;
}

function pair(avg: number | null | undefined, max: number | null | undefined): AvgMax | null {
  return avg == null || max == null ? null : { avg: Number(avg), max: Number(max) };
}
