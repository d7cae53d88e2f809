import { getStatsGroup } from "@/lib/kamailio/methods/stats-fetch";
import type { Probe } from "./types";

export const STATS_GROUPS = ["websocket", "dialog", "tmx"] as const;

/** stats.fetch of the websocket, dialog and tmx groups as numbers, keyed "group.name". */
export const statsProbe: Probe<Record<string, number>> = {
  name: "stats",
  optional: true,
  async collect({ rpc }) {
    const stats = await rpc.statsFetch(STATS_GROUPS);
    const out: Record<string, number> = {};
    for (const group of STATS_GROUPS) {
      for (const [name, value] of Object.entries(getStatsGroup(stats, group)))
        out[`${group}.${name}`] = value;
    }
    return out;
  },
};
