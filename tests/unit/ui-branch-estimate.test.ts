// The branch-failure ESTIMATE (a node without bridge counters) is labelled "estimate" wherever the branch rate
// shows: the overview's node cell, the wall tile, and the Prometheus export keeps it apart from measured rates.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { branchRateView } from "@/components/live/branch-rate";
import { branchFailureFigure } from "@/components/live/health-figures";
import { NodeTable } from "@/components/overview/node-table";
import { HealthTiles } from "@/components/wall/health-tile";
import { ESTIMATE_FORMULA, estimateBranches, newEstimateWindows } from "@/lib/poller/branch-estimate";
import { BranchWindows } from "@/lib/poller/branch-windows";
import { buildFleetSnapshot, buildUpNodeSnapshot, type NodeSnapshot, withAges } from "@/lib/poller/snapshot";
import { renderMetrics } from "@/lib/prometheus/export";
import { sampleMeasurement } from "../support/snapshots";

const t0 = Date.parse("2026-11-30T10:00:00Z");
const polledAt = new Date(t0);

/** Estimate windows ending at t0: `finals` INVITE final replies of which `failed` were 5xx, over 5 min. */
function estimate(finals: number, failed: number) {
  const w = newEstimateWindows();
  w.add(t0 - 300_000, false, estimateBranches({ finals: 0, failed: 0 }));
  w.add(
    t0 - 150_000,
    false,
    estimateBranches({ finals: Math.round(finals / 2), failed: Math.round(failed / 2) }),
  );
  w.add(t0, false, estimateBranches({ finals, failed }));
  return w.failure(t0);
}
function counters(relayed: number, failed: number) {
  const w = new BranchWindows();
  w.add(t0 - 300_000, false, [{ direction: "wss_udp", relayed: 0, failed: 0 }]);
  w.add(t0, false, [{ direction: "wss_udp", relayed, failed }]);
  return w.failure(t0);
}
const node = (name: string, branchFailure: NodeSnapshot["branchFailure"]) =>
  buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs: 2000 },
    { polledAt, durationMs: 3 },
    { ...sampleMeasurement(), branchFailure },
  );
const fleet = (...nodes: NodeSnapshot[]) => withAges(buildFleetSnapshot(nodes, 2000, polledAt), polledAt);
const fiveMin = (f: ReturnType<typeof estimate>) => f.windows.find((w) => w.window === "5m") ?? null;

describe("the estimate on screen", () => {
  it("the node cell says 'estimate' and its title names the formula", () => {
    const failure = estimate(400, 8);
    expect(branchRateView(fiveMin(failure), failure)).toEqual({
      tone: "bad",
      text: "2.00 % estimate",
      detail: `estimate (no bridge counters on this node): ${ESTIMATE_FORMULA}; 8 5xx of 400 INVITE final replies in 5m (300 s measured)`,
      estimate: true,
    });
    const few = estimate(12, 1);
    expect(branchRateView(fiveMin(few), few)).toMatchObject({
      tone: "unknown",
      text: "too few (12 replies) · estimate",
    });
    // the counters are not an estimate
    expect(branchRateView(fiveMin(counters(400, 8)), counters(400, 8))).toMatchObject({
      text: "2.00 % wss→udp",
      estimate: false,
    });
    const html = renderToStaticMarkup(
      createElement(NodeTable, { nodes: fleet(node("foreign", estimate(400, 8))).nodes, elapsedMs: 0 }),
    );
    expect(html).toContain(
      'data-estimate="true" data-testid="node-branch-failure" data-tone="bad">2.00 % estimate<',
    );
  });

  it("the wall tile names the estimate when it is the worst, and notes it otherwise", () => {
    const worst = branchFailureFigure(
      fleet(node("gw", counters(1000, 1)), node("foreign", estimate(400, 8))),
      0,
    );
    expect(worst).toMatchObject({ health: "bad", display: "2.00 %" });
    expect(worst.details).toEqual([
      "estimate (reply statistics) on foreign",
      "8 5xx of 400 INVITE replies in 5 min",
    ]);
    expect(worst.notes).toContain("estimate on foreign");
    const html = renderToStaticMarkup(
      createElement(HealthTiles, { fleet: fleet(node("foreign", estimate(400, 8))), elapsedMs: 0 }),
    );
    expect(html).toContain("estimate (reply statistics) on foreign");

    const measured = branchFailureFigure(
      fleet(node("gw", counters(1000, 30)), node("foreign", estimate(400, 0))),
      0,
    );
    expect(measured.details[0]).toBe("wss→udp on gw");
    expect(measured.notes).toContain("estimate on foreign");
  });

  it("Prometheus keeps the estimate out of kamdash_branch_failure_ratio, in its own family", async () => {
    const { text } = await renderMetrics({
      fleet: buildFleetSnapshot(
        [node("gw", counters(1000, 30)), node("foreign", estimate(400, 8))],
        2000,
        polledAt,
      ),
      now: polledAt,
    });
    const lines = text.split("\n");
    expect(lines).toContain('kamdash_branch_failure_ratio{node="gw",direction="wss_udp",window="5m"} 0.03');
    expect(lines.filter((l) => l.startsWith('kamdash_branch_failure_ratio{node="foreign"'))).toEqual([]);
    expect(lines).toContain('kamdash_branch_failure_ratio_estimate{node="foreign",window="5m"} 0.02');
    expect(lines.filter((l) => l.startsWith('kamdash_branch_failure_ratio_estimate{node="gw"'))).toEqual([]);
  });
});
