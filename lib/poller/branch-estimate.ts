import { parseStatNumber, type StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import { type BranchFailure, BranchWindows } from "./branch-windows";
import type { CycleResults } from "./collect";

// Branch-failure ESTIMATE for a node without the gateway's bridge counters (a foreign config), from the reply
// statistics every Kamailio with kex keeps (5.2+: core.rcv_replies_<N>xx_invite, counted per reply received from
// the network, by the CSeq method). Documented in the README next to the counters' formula:
//
//   estimate = Δ core.rcv_replies_5xx_invite ÷ Δ Σ core.rcv_replies_{2,3,4,5,6}xx_invite
//
// i.e. of the final replies downstream sent to INVITEs Kamailio relayed, the share that were 5xx. It agrees with
// the counters' rule where a reply shows it: a 5xx is a failure; busy (486/600), rejections (403/603), 480, the
// caller's CANCEL (487), 401/407 challenges and redirects are delivered branches. Its limits (why it is labelled an
// estimate): branches that got no reply at all (tm's local 408 after fr_timer / fr_inv_timer) and branches that
// could not be sent (local 477, e.g. a WebSocket callee gone) are not replies received, so they are missed and the
// estimate reads LOW exactly when callees vanish; a downstream 408 sits inside 4xx (5.x has no per-code INVITE
// statistic) and counts as delivered; re-INVITEs and retransmitted final replies are counted too; there is no
// bridge direction ("all").

/** The statistics read (stats.fetch leaves out names it does not know: absent ≠ 0). */
export const ESTIMATE_STATS = [
  "core.rcv_replies_2xx_invite",
  "core.rcv_replies_3xx_invite",
  "core.rcv_replies_4xx_invite",
  "core.rcv_replies_5xx_invite",
  "core.rcv_replies_6xx_invite",
] as const;

export const ESTIMATE_FORMULA =
  "5xx ÷ final replies received to INVITE (core.rcv_replies_5xx_invite ÷ Σ core.rcv_replies_{2..6}xx_invite)";

/** The estimate's only direction: reply statistics have no bridge direction. */
export const ESTIMATE_DIRECTION = "all";

/** One reading of the statistics: final replies to INVITE (the estimate's "relayed") and the 5xx among them. */
export type EstimateCounters = { finals: number | null; failed: number | null };

/**
 * Reads the five statistics. Returns null when one is missing (kex not loaded or an older Kamailio: the estimate is
 * unavailable, never 0); a value that is not a whole number ≥ 0 makes that reading null (a gap, no delta).
 */
export function readEstimateCounters(stats: StatsMap): EstimateCounters | null {
  const values: number[] = [];
  let bad = false;
  for (const name of ESTIMATE_STATS) {
    if (stats[name] === undefined) return null;
    const value = parseStatNumber(stats[name]);
    if (value === null || !Number.isSafeInteger(value) || value < 0) bad = true;
    else values.push(value);
  }
  if (bad) return { finals: null, failed: null };
  return { finals: values.reduce((a, b) => a + b, 0), failed: values[3] ?? null };
}

/** The estimate's windows (same 1m/5m/1h, "too few" rule and restart handling as the bridge counters'). */
export function newEstimateWindows(): BranchWindows {
  return new BranchWindows({ source: "reply statistics", formula: ESTIMATE_FORMULA });
}

/** A cycle's estimate reading as the windows take it (null: not measured in that cycle). */
export function estimateBranches(
  counters: EstimateCounters | null | undefined,
): { direction: string; relayed: number | null; failed: number | null }[] | null {
  if (!counters) return null;
  return [{ direction: ESTIMATE_DIRECTION, relayed: counters.finals, failed: counters.failed }];
}

type CycleView = Pick<CycleResults, "fresh" | "values" | "memory">;

/** This cycle's estimate reading, as the windows take it (null: not read in this cycle, or a counters node). */
export function cycleEstimate(results: CycleView): ReturnType<typeof estimateBranches> {
  if (!results.fresh.has("branch-estimate")) return null;
  return estimateBranches(results.values.get("branch-estimate") as EstimateCounters | null);
}

/**
 * The estimate's rates for a node whose branches probe is unavailable (no bridge counters); null when the estimate
 * is unavailable too (no reply statistics). Never used for a node with the counters.
 */
export function estimateFailure(
  results: CycleView,
  windows: BranchWindows,
  nowMs: number,
): BranchFailure | null {
  const state = results.memory.get("branch-estimate")?.state;
  if (state === undefined || state === "unavailable") return null;
  return windows.failure(nowMs);
}
