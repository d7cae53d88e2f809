import type { StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import type { Probe } from "./types";

export const STATS_GROUPS = ["websocket", "dialog", "tmx"] as const;

/**
 * stats.fetch of the websocket, dialog and tmx groups, as the text Kamailio sent ("group.name" → "123"). The
 * values are checked (gauge bounds, counters never negative or going back) in lib/poller/plausible.ts; a name an
 * older Kamailio does not know is simply absent (stats.fetch leaves it out), which reads as null, never 0.
 */
export const statsProbe: Probe<StatsMap> = {
  name: "stats",
  cadence: "cycle",
  async collect({ rpc }) {
    return await rpc.statsFetch(STATS_GROUPS);
  },
};
