// The columns rollups are made of and the tables they live in (prisma/schema/rollups.prisma: Rollup1m/1h,
// BranchRollup1m/1h). Fixed whitelists: only these names ever reach SQL text.

/** Sample gauge columns: each gets `<name>_min`, `_avg`, `_max`, `_last` in a rollup row (same unit as in Sample). */
export const GAUGE_COLUMNS = [
  "ws_connections",
  "wss_connections",
  "registrations",
  "aors",
  "dialogs_active",
  "dialogs_early",
  "rtpengine_up",
  "rtpengine_total",
  "transactions_active",
  "duration_ms",
  "rtpengine_sessions",
  "calls_answered",
  "sockets_without_registration",
  "registrations_without_socket",
] as const;

/** Sample counter columns (Kamailio counters since its start): each gets `<name>_delta` in a rollup row. */
export const COUNTER_COLUMNS = [
  "branch_relayed",
  "branch_failed",
  "ws_handshakes_ok",
  "ws_handshakes_failed",
  "ws_failed_connections",
  "dialogs_processed",
  "dialogs_failed",
  "tmx_2xx",
  "tmx_4xx",
  "tmx_5xx",
  "tmx_6xx",
] as const;

/** Counters whose reading itself is also kept (`<name>_last`): the series API charts them. */
export const LAST_COUNTER_COLUMNS = ["branch_relayed", "branch_failed"] as const;

export type RollupResolution = "1m" | "1h";
export type Resolution = "raw" | RollupResolution;

export type RollupTable = {
  resolution: RollupResolution;
  /** Bucket width, seconds. */
  widthS: number;
  samples: string;
  branches: string;
};

export const ROLLUP_TABLES: Record<RollupResolution, RollupTable> = {
  "1m": { resolution: "1m", widthS: 60, samples: "rollup_1m", branches: "branch_rollup_1m" },
  "1h": { resolution: "1h", widthS: 3600, samples: "rollup_1h", branches: "branch_rollup_1h" },
};

/** SQL: the start of the epoch-aligned bucket of `column` (time zone independent, unlike date_trunc). */
export function bucketSql(widthS: number, column: string): string {
  if (!Number.isInteger(widthS) || widthS <= 0) throw new Error(`bad bucket width ${widthS}`);
  return `date_bin(interval '${widthS} seconds', ${column}, timestamptz '1970-01-01 00:00:00+00')`;
}

/** SQL: the last non-null value of `value` by `order` among rows passing `filter` (NULL when none). */
export function lastSql(value: string, order: string, filter = "true"): string {
  return `(array_agg(${value} ORDER BY ${order} DESC) FILTER (WHERE (${filter}) AND ${value} IS NOT NULL))[1]`;
}

/** Every value column of a samples rollup table, in a fixed order (used for INSERT and ON CONFLICT). */
export const ROLLUP_VALUE_COLUMNS: readonly string[] = [
  "samples",
  "up_samples",
  ...GAUGE_COLUMNS.flatMap((g) => [`${g}_min`, `${g}_avg`, `${g}_max`, `${g}_last`]),
  ...COUNTER_COLUMNS.map((c) => `${c}_delta`),
  ...LAST_COUNTER_COLUMNS.map((c) => `${c}_last`),
];
