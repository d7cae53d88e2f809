import type { BranchFailure, BranchWindow } from "@/lib/poller/branch-windows";
import type { OverviewNode } from "@/lib/poller/snapshot";
import { formatCount } from "./fleet-view";

// How the seed's first health rule reads on screen: branch failures under 1 % of relayed branches.

/** The seed's threshold (failed ÷ relayed), and where "warning" starts. */
export const BRANCH_FAILURE_BAD = 0.01;
export const BRANCH_FAILURE_WARNING = 0.005;

export type BranchTone = "ok" | "warning" | "bad" | "unknown";

export type BranchRateView = {
  tone: BranchTone;
  /** "0.4 % wss→udp", "too few (12 branches)", "—". */
  text: string;
  /** What the number is made of, for a title. */
  detail: string;
  /** An estimate from reply statistics (a node without bridge counters): shown with the word "estimate". */
  estimate: boolean;
};

/** The estimate's label, wherever a branch rate shows. */
export const ESTIMATE_LABEL = "estimate";

/** "0.42 %", "12.5 %". */
export const formatRate = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`;
/** "wss_udp" → "wss→udp". */
export const formatDirection = (direction: string) => direction.replace("_", "→");

/** The node's window (default 5 min), or null when the node has no branch rate (nor estimate) or is down. */
export function branchWindow(node: OverviewNode, window: BranchWindow["window"] = "5m"): BranchWindow | null {
  if (!node.up) return null;
  return node.branchFailure?.windows.find((w) => w.window === window) ?? null;
}

/** Whether the node's branch rate is the estimate (reply statistics), not its bridge counters. */
export function isBranchEstimate(failure: Pick<BranchFailure, "estimate"> | null | undefined): boolean {
  return failure?.estimate === true;
}

/**
 * The worst judged direction of a window, with its tone by the seed's threshold; never a 0 % made of nothing.
 * `failure` (the node's branchFailure) marks an estimate: its text says "estimate" and its detail the formula.
 */
export function branchRateView(
  window: BranchWindow | null,
  failure?: Pick<BranchFailure, "estimate" | "formula"> | null,
): BranchRateView {
  if (window === null) {
    return { tone: "unknown", text: "—", detail: "no branch counters on this node", estimate: false };
  }
  const estimate = isBranchEstimate(failure);
  const view = estimate ? estimateView(window, failure?.formula ?? null) : countersView(window);
  return { ...view, estimate };
}

function estimateView(window: BranchWindow, formula: string | null): Omit<BranchRateView, "estimate"> {
  const { total, worst } = window;
  const counts = `${total.failed} 5xx of ${total.relayed} INVITE final replies in ${window.window} (${window.coveredS} s measured)`;
  const detail = `${ESTIMATE_LABEL} (no bridge counters on this node): ${formula ?? "reply statistics"}; ${counts}`;
  if (worst === null) {
    return {
      tone: "unknown",
      text: `too few (${total.relayed} repl${total.relayed === 1 ? "y" : "ies"}) · ${ESTIMATE_LABEL}`,
      detail,
    };
  }
  return { tone: rateTone(worst.rate), text: `${formatRate(worst.rate)} ${ESTIMATE_LABEL}`, detail };
}

const rateTone = (rate: number): BranchTone =>
  rate >= BRANCH_FAILURE_BAD ? "bad" : rate >= BRANCH_FAILURE_WARNING ? "warning" : "ok";

function countersView(window: BranchWindow): Omit<BranchRateView, "estimate"> {
  const { total, worst } = window;
  const counts = `${total.failed} failed of ${total.relayed} branches in ${window.window} (${window.coveredS} s measured)`;
  if (worst === null) {
    const why =
      total.verdict === "inconsistent"
        ? "not judged: more failures than branches in the window"
        : `too few (${total.relayed} branch${total.relayed === 1 ? "" : "es"})`;
    return { tone: "unknown", text: why, detail: counts };
  }
  return {
    tone: rateTone(worst.rate),
    text: `${formatRate(worst.rate)} ${formatDirection(worst.direction)}`,
    detail: `worst direction; ${counts}`,
  };
}

/**
 * The wall tile's two lines under the worst rate: where ("wss→udp on edge1", or "estimate (reply statistics) on
 * edge2" for a node without bridge counters), then what it is made of, over 5 min.
 */
export function branchDetailLines(
  node: Pick<OverviewNode, "name" | "branchFailure">,
  worstDirection: string,
  counts: { failed: number; relayed: number } | undefined,
  covered: string,
): string[] {
  const failed = formatCount(counts?.failed ?? null);
  const relayed = formatCount(counts?.relayed ?? null);
  if (isBranchEstimate(node.branchFailure)) {
    return [
      `${ESTIMATE_LABEL} (reply statistics) on ${node.name}`,
      `${failed} 5xx of ${relayed} INVITE replies in 5 min${covered}`,
    ];
  }
  return [
    `${formatDirection(worstDirection)} on ${node.name}`,
    `${failed} of ${relayed} failed in 5 min${covered}`,
  ];
}
