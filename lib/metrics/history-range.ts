import { z } from "zod";

// The chart ranges of the node page and the overview. No database imports here: client components use it too.

export const HISTORY_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
/** `?range=` of the node page and the overview: one of HISTORY_RANGES; anything else (or none) is 1h. */
export const HistoryRangeSchema = z.enum(HISTORY_RANGES).catch("1h");

const HOUR_MS = 60 * 60 * 1000;
/** Span of each range, ms. */
export const HISTORY_RANGE_MS: Record<HistoryRange, number> = {
  "1h": HOUR_MS,
  "24h": 24 * HOUR_MS,
  "7d": 7 * 24 * HOUR_MS,
  "30d": 30 * 24 * HOUR_MS,
};

/**
 * What the overview's fleet chart asks for each range: about 300 buckets per node, from the 1-hour rollups from
 * 7 days on (a 1,600 px chart shows no more; 20 nodes × 10,080 one-minute rows would take a third of a second).
 */
export const OVERVIEW_CHART: Record<HistoryRange, { resolution?: "1h"; bucketMs?: number }> = {
  "1h": {},
  "24h": { bucketMs: 5 * 60 * 1000 },
  "7d": { resolution: "1h" },
  "30d": { resolution: "1h", bucketMs: 3 * HOUR_MS },
};
