import type { OverviewHistory } from "@/lib/metrics/queries/getOverviewHistory";

export const HISTORY_SERIES = ["WS", "WSS", "Registrations", "Dialogs"] as const;
export type HistorySeries = (typeof HISTORY_SERIES)[number];

/** One chart point: bucket start plus the fleet sum of per-node averages; null = no node was up (a gap). */
export type HistoryPoint = { at: string } & Record<HistorySeries, number | null>;

const fields = [
  ["WS", "ws"],
  ["WSS", "wss"],
  ["Registrations", "registrations"],
  ["Dialogs", "dialogsActive"],
] as const;

/**
 * Sums the nodes' bucket averages into fleet points, one per bucket from `from` to `to`, so buckets without any
 * sample (kamdash not running, every node down) are gaps rather than lines drawn across them.
 */
export function fleetHistoryPoints(history: OverviewHistory): HistoryPoint[] {
  const byBucket = new Map<number, HistoryPoint>();
  const start = Date.parse(history.from);
  const end = Date.parse(history.to);
  for (let at = start; at <= end; at += history.bucketMs) {
    byBucket.set(at, {
      at: new Date(at).toISOString(),
      WS: null,
      WSS: null,
      Registrations: null,
      Dialogs: null,
    });
  }
  for (const node of history.nodes) {
    for (const point of node.points) {
      const bucket = byBucket.get(Date.parse(point.at));
      if (!bucket) continue;
      for (const [series, key] of fields) {
        const value = point[key];
        if (value !== null) bucket[series] = (bucket[series] ?? 0) + value.avg;
      }
    }
  }
  return [...byBucket.values()];
}
