import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { branchRateView } from "@/components/live/branch-rate";
import { NodeTable } from "@/components/overview/node-table";
import { BranchWindows } from "@/lib/poller/branch-windows";
import { buildFleetSnapshot, buildUpNodeSnapshot, withAges } from "@/lib/poller/snapshot";
import { sampleMeasurement } from "../support/snapshots";

const t0 = Date.parse("2026-11-30T10:00:00Z");
function windowAfter(samples: [relayed: number, failed: number][]) {
  const w = new BranchWindows();
  samples.forEach(([relayed, failed], i) => {
    w.add(t0 + i * 2000, false, [{ direction: "wss_udp", relayed, failed }]);
  });
  return w.failure(t0 + (samples.length - 1) * 2000);
}

describe("branch-failure rate on screen", () => {
  it("colours the worst direction by the seed's 1 % rule", () => {
    const five = (f: ReturnType<typeof windowAfter>) => f.windows.find((w) => w.window === "5m") ?? null;
    expect(
      branchRateView(
        five(
          windowAfter([
            [0, 0],
            [1000, 3],
          ]),
        ),
      ),
    ).toMatchObject({ tone: "ok", text: "0.30 % wss→udp" });
    expect(
      branchRateView(
        five(
          windowAfter([
            [0, 0],
            [1000, 7],
          ]),
        ),
      ),
    ).toMatchObject({ tone: "warning" });
    expect(
      branchRateView(
        five(
          windowAfter([
            [0, 0],
            [1000, 10],
          ]),
        ),
      ),
    ).toMatchObject({ tone: "bad", text: "1.00 % wss→udp" });
  });

  it("says 'too few' instead of 0 % or 50 % on a handful of calls, and '—' without counters", () => {
    const few =
      windowAfter([
        [0, 0],
        [4, 2],
      ]).windows.find((w) => w.window === "1m") ?? null;
    expect(branchRateView(few)).toMatchObject({ tone: "unknown", text: "too few (4 branches)" });
    expect(branchRateView(null)).toMatchObject({ tone: "unknown", text: "—" });
  });

  it("renders in the node table with its tone", () => {
    const polledAt = new Date(t0);
    const node = buildUpNodeSnapshot(
      { name: "edge", rpcUrl: "http://edge/RPC", intervalMs: 2000 },
      { polledAt, durationMs: 3 },
      {
        ...sampleMeasurement(),
        branchFailure: windowAfter([
          [0, 0],
          [400, 8],
        ]),
      },
    );
    const html = renderToStaticMarkup(
      createElement(NodeTable, {
        nodes: withAges(buildFleetSnapshot([node], 2000, polledAt), polledAt).nodes,
        elapsedMs: 0,
      }),
    );
    expect(html).toContain('data-testid="node-branch-failure" data-tone="bad">2.00 % wss→udp<');
    expect(html).toContain('data-testid="node-sockets">—<'); // no ul.dump joined: unknown, not "0 of 0"
  });

  it("shows WS/WSS connections without a registration, amber from 10 %", () => {
    const polledAt = new Date(t0);
    const node = buildUpNodeSnapshot(
      { name: "edge", rpcUrl: "http://edge/RPC", intervalMs: 2000 },
      { polledAt, durationMs: 3 },
      {
        ...sampleMeasurement(),
        socketsVsRegistrations: {
          measuredAt: new Date(t0 - 20_000).toISOString(),
          connections: 8,
          withRegistration: 6,
          withoutRegistration: 2,
          shareWithout: 0.25,
          registrationsWithoutConnection: 1,
        },
      },
    );
    const html = renderToStaticMarkup(
      createElement(NodeTable, {
        nodes: withAges(buildFleetSnapshot([node], 2000, polledAt), polledAt).nodes,
        elapsedMs: 0,
      }),
    );
    expect(html).toContain('data-testid="node-sockets" data-warn="true">2 of 8 (25 %)<');
    expect(html).toContain("1 reg. without socket");
    expect(html).toContain("from ul.dump 20 s ago");
  });
});
