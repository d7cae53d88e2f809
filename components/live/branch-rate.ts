import type { BranchWindow } from "@/lib/poller/branch-windows";
import type { OverviewNode } from "@/lib/poller/snapshot";

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
};

/** "0.42 %", "12.5 %". */
export const formatRate = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`;
/** "wss_udp" → "wss→udp". */
export const formatDirection = (direction: string) => direction.replace("_", "→");

/** The node's window (default 5 min), or null when the node has no branch counters or is down. */
export function branchWindow(node: OverviewNode, window: BranchWindow["window"] = "5m"): BranchWindow | null {
  if (!node.up) return null;
  return node.branchFailure?.windows.find((w) => w.window === window) ?? null;
}

/** The worst judged direction of a window, with its tone by the seed's threshold; never a 0 % made of nothing. */
export function branchRateView(window: BranchWindow | null): BranchRateView {
  if (window === null) return { tone: "unknown", text: "—", detail: "no branch counters on this node" };
  const { total, worst } = window;
  const counts = `${total.failed} failed of ${total.relayed} branches in ${window.window} (${window.coveredS} s measured)`;
  if (worst === null) {
    const why =
      total.verdict === "inconsistent"
        ? "not judged: more failures than branches in the window"
        : `too few (${total.relayed} branch${total.relayed === 1 ? "" : "es"})`;
    return { tone: "unknown", text: why, detail: counts };
  }
  const tone: BranchTone =
    worst.rate >= BRANCH_FAILURE_BAD ? "bad" : worst.rate >= BRANCH_FAILURE_WARNING ? "warning" : "ok";
  return {
    tone,
    text: `${formatRate(worst.rate)} ${formatDirection(worst.direction)}`,
    detail: `worst direction; ${counts}`,
  };
}
