import { parseBridgeCounters } from "@/lib/kamailio/methods/cnt-grp-get-all";
import type { BranchCounters } from "@/lib/poller/snapshot";
import { type Probe, ProbeUnavailableError } from "./types";

export const DEFAULT_BRANCH_COUNTER_GROUP = "bridge";

/**
 * cnt.grp_get_all <group>: relayed / failed branches per "<from>_<to>" transport direction, as Kamailio printed
 * them (through an int cast: values past 2^31 read negative; lib/poller/plausible.ts unwraps them). Kamailio 5.6
 * answers an unknown group with an empty object, not an error (tests/fixtures/rpc/cnt.grp_get_all.no-such-group.json):
 * a group without any direction counter is reported unavailable rather than as "no branches".
 */
export const branchesProbe: Probe<BranchCounters[]> = {
  name: "branches",
  cadence: "cycle",
  async collect({ rpc, branchCounterGroup = DEFAULT_BRANCH_COUNTER_GROUP }) {
    const counters = await rpc.cntGrpGetAll(branchCounterGroup);
    const directions = parseBridgeCounters(counters);
    if (directions.length === 0) {
      const what =
        Object.keys(counters).length === 0
          ? "does not exist (empty reply)"
          : "has no <from>_<to>_relayed / _failed counters";
      throw new ProbeUnavailableError(`cnt.grp_get_all: counters group "${branchCounterGroup}" ${what}`);
    }
    return directions.map((d) => ({ direction: d.direction, relayed: d.relayed, failed: d.failed }));
  },
};
