import type { RetentionHorizons } from "./queries/getRetentionHorizons";
import { type Resolution, ROLLUP_TABLES } from "./rollup-columns";

// Which store a history query reads: raw samples for short ranges, 1-minute rollups up to a week, 1-hour beyond.

/** Longest range read from raw samples, ms (6 h: at 2 s per sample, 10,800 rows per node). */
export const RAW_MAX_RANGE_MS = 6 * 60 * 60 * 1000;
/** Longest range read from 1-minute rollups, ms (7 days: 10,080 rows per node). */
export const ONE_MINUTE_MAX_RANGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Most points a chart query returns per node; finer data is averaged into wider buckets. */
export const MAX_CHART_POINTS = 1500;

/** Bucket width of each store, ms (raw: none). */
export const RESOLUTION_WIDTH_MS: Record<Resolution, number> = {
  raw: 0,
  "1m": ROLLUP_TABLES["1m"].widthS * 1000,
  "1h": ROLLUP_TABLES["1h"].widthS * 1000,
};

/**
 * The finest store whose range limit allows [from, to) and that retention has not cut inside it: raw up to 6 h,
 * 1-minute up to 7 days, else 1-hour (also when the finer stores no longer reach back to `from`).
 */
export function pickResolution(range: { from: Date; to: Date }, horizons: RetentionHorizons): Resolution {
  const spanMs = range.to.getTime() - range.from.getTime();
  const covers = (resolution: Resolution) => {
    const horizon = horizons[resolution];
    const widthMs = RESOLUTION_WIDTH_MS[resolution];
    const firstBucket =
      widthMs > 0 ? Math.floor(range.from.getTime() / widthMs) * widthMs : range.from.getTime();
    return horizon === undefined || firstBucket >= horizon.getTime();
  };
  if (spanMs <= RAW_MAX_RANGE_MS && covers("raw")) return "raw";
  if (spanMs <= ONE_MINUTE_MAX_RANGE_MS && covers("1m")) return "1m";
  return "1h";
}

/**
 * Bucket width for a range at a rollup resolution, ms: a whole number of rollup buckets of `widthMs`; the
 * requested width rounded up, else the narrowest giving at most maxPoints buckets over `spanMs`.
 */
export function rollupBucketMs(
  spanMs: number,
  widthMs: number,
  options: { requestedMs?: number; maxPoints?: number } = {},
): number {
  const needed = options.requestedMs ?? spanMs / (options.maxPoints ?? MAX_CHART_POINTS);
  return Math.max(1, Math.ceil(needed / widthMs)) * widthMs;
}
