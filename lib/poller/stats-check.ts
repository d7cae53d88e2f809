import type { StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import { GAUGE_BOUNDS, type NumberChecker } from "./plausible";

/**
 * Statistics that are gauges (a value now), with their plausibility bound. Every other statistic kamdash reads is
 * a counter since Kamailio started: never negative, never going back without a restart.
 */
export const GAUGE_STATS: Readonly<Record<string, number>> = {
  "websocket.ws_current_connections": GAUGE_BOUNDS.connections,
  "websocket.ws_max_concurrent_connections": GAUGE_BOUNDS.connections,
  "websocket.ws_sip_current_connections": GAUGE_BOUNDS.connections,
  "websocket.ws_sip_max_concurrent_connections": GAUGE_BOUNDS.connections,
  "websocket.ws_msrp_current_connections": GAUGE_BOUNDS.connections,
  "websocket.ws_msrp_max_concurrent_connections": GAUGE_BOUNDS.connections,
  "dialog.active_dialogs": GAUGE_BOUNDS.dialogs,
  "dialog.early_dialogs": GAUGE_BOUNDS.dialogs,
  "tmx.active_transactions": GAUGE_BOUNDS.transactions,
  "tmx.inuse_transactions": GAUGE_BOUNDS.transactions,
};

const LEVEL_NAME = /(^|[._])(current|active|inuse|max_concurrent)[._]|_(current|active|inuse)$/;

/**
 * Older names of statistics kamdash reads, mapped to today's (Kamailio renamed them; stats.fetch leaves out
 * names it does not know, so an absent name reads null, never 0). tmx's reply counters became rpl_* in 5.x.
 */
export const STAT_ALIASES: Readonly<Record<string, string>> = {
  "tmx.received_replies": "tmx.rpl_received",
  "tmx.relayed_replies": "tmx.rpl_relayed",
  "tmx.local_replies": "tmx.rpl_generated",
};

/**
 * The statistics as numbers, each checked (gauges against their bound, counters against the previous value in
 * `counters`, which is updated). Rejected values are left out of the map and recorded in `check`.
 */
export function checkedStats(
  stats: StatsMap,
  counters: Map<string, number>,
  check: NumberChecker,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [rawName, raw] of Object.entries(stats)) {
    const name = STAT_ALIASES[rawName] ?? rawName;
    if (name in out) continue;
    // a name kamdash has not listed but that reads like a level (current, active, in use) is a gauge too
    const bound = GAUGE_STATS[name] ?? (LEVEL_NAME.test(name) ? GAUGE_BOUNDS.transactions : undefined);
    const value = bound === undefined ? check.counter(name, raw, counters) : check.gauge(name, raw, bound);
    if (value !== null) out[name] = value;
  }
  return out;
}
