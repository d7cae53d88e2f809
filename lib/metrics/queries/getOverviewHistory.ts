import type { Db } from "../db";

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

type Row = {
  name: string;
  at: Date;
  up: boolean;
  ws_avg: number | null;
  ws_max: number | null;
  wss_avg: number | null;
  wss_max: number | null;
  reg_avg: number | null;
  reg_max: number | null;
  dlg_avg: number | null;
  dlg_max: number | null;
};

/** Per node, per bucket (default: last hour in 1-minute buckets) the average and maximum of the main numbers. */
export async function getOverviewHistory(
  db: Db,
  options: { now?: Date; rangeMs?: number; bucketMs?: number } = {},
): Promise<OverviewHistory> {
  const to = options.now ?? new Date();
  const rangeMs = options.rangeMs ?? 60 * 60 * 1000;
  const bucketMs = options.bucketMs ?? 60 * 1000;
  const from = new Date(Math.floor((to.getTime() - rangeMs) / bucketMs) * bucketMs);
  const rows = await db.$queryRaw<Row[]>`
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
    GROUP BY n.name, 2
    ORDER BY n.name, 2`;

  const nodes = new Map<string, OverviewHistoryPoint[]>();
  for (const row of rows) {
    const points = nodes.get(row.name) ?? [];
    points.push({
      at: new Date(row.at).toISOString(),
      up: row.up,
      ws: pair(row.ws_avg, row.ws_max),
      wss: pair(row.wss_avg, row.wss_max),
      registrations: pair(row.reg_avg, row.reg_max),
      dialogsActive: pair(row.dlg_avg, row.dlg_max),
    });
    nodes.set(row.name, points);
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMs,
    nodes: [...nodes].map(([name, points]) => ({ name, points })),
  };
}

function pair(avg: number | null, max: number | null): AvgMax | null {
  return avg === null || max === null ? null : { avg: Number(avg), max: Number(max) };
}
