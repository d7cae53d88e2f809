import { parseBridgeCounters } from "@/lib/kamailio/methods/cnt-grp-get-all";
import type { BranchCounters } from "@/lib/poller/snapshot";
import type { Probe } from "./types";

/** cnt.grp_get_all bridge: relayed / failed branches per "<from>_<to>" transport direction. */
export const branchesProbe: Probe<BranchCounters[]> = {
  name: "branches",
  async collect({ rpc }) {
    const directions = parseBridgeCounters(await rpc.cntGrpGetAll("bridge"));
    return directions.map((d) => ({ direction: d.direction, relayed: d.relayed, failed: d.failed }));
  },
};
