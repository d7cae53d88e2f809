import { ESTIMATE_STATS, type EstimateCounters, readEstimateCounters } from "@/lib/poller/branch-estimate";
import { type Probe, ProbeUnavailableError } from "./types";

/**
 * The reply statistics behind the branch-failure estimate (lib/poller/branch-estimate.ts), read only when the node's
 * bridge counters did not answer in this cycle (the branches probe runs first): a node with the counters never
 * pays for it and never uses the estimate (null here). stats.fetch of five names; unavailable when Kamailio does
 * not know them (kex not loaded), never read as 0.
 */
export const branchEstimateProbe: Probe<EstimateCounters | null> = {
  name: "branch-estimate",
  cadence: "cycle",
  async collect({ rpc, earlier }) {
    if (earlier.has("branches")) return null;
    const counters = readEstimateCounters(await rpc.statsFetch(ESTIMATE_STATS));
    if (counters === null) {
      throw new ProbeUnavailableError(
        "stats.fetch: no core.rcv_replies_<N>xx_invite statistics (kex not loaded?): no branch-failure estimate",
      );
    }
    return counters;
  },
};
