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
