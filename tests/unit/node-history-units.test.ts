import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { downSpans } from "@/components/node/history-rows";
import { nodeHealthItems } from "@/components/node/node-health";
import { HealthSparkline, HealthTiles } from "@/components/wall/health-tile";
import { branchRate } from "@/lib/metrics/queries/getNodeHistory";
import { sampleColumns } from "@/lib/metrics/sample-columns";
import {
  buildFleetSnapshot,
  type NodeSnapshot,
  type OverviewResponse,
  withAges,
} from "@/lib/poller/snapshot";
import { buildDownNodeSnapshot, buildUpNodeSnapshot } from "@/lib/poller/snapshot-build";
import type { SocketsVsRegistrations } from "@/lib/poller/sockets-registrations";
import { sampleMeasurement } from "../support/snapshots";

// Small pieces of the node history: what a cycle's Sample row stores of the health numbers, the branch verdict of
// a bucket, the down spans under a chart, and the wall tiles of a fleet that is all down.

const intervalMs = 2000;
const t0 = Date.parse("2026-11-30T10:00:00Z");
const polledAt = new Date(t0);

const sockets = (measuredAtMs: number): SocketsVsRegistrations => ({
  measuredAt: new Date(measuredAtMs).toISOString(),
  connections: 10,
  withRegistration: 7,
  withoutRegistration: 3,
  shareWithout: 0.3,
  registrationsWithoutConnection: 1,
});

function up(name: string, measurement: Parameters<typeof sampleMeasurement>[0] = {}): NodeSnapshot {
  return buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt, durationMs: 40 },
    sampleMeasurement(measurement),
  );
}

const down = (name: string) =>
  buildDownNodeSnapshot(
    { name, rpcUrl: "http://127.0.0.1:1/RPC", intervalMs },
    { polledAt, durationMs: 3 },
    "core.uptime: connect ECONNREFUSED",
    undefined,
  );

const fleet = (...nodes: NodeSnapshot[]): OverviewResponse =>
  withAges(buildFleetSnapshot(nodes, intervalMs, polledAt), polledAt);

describe("the Sample row's health columns", () => {
  it("stores sessions and answered calls of the cycle, null when unknown or down", () => {
    const row = sampleColumns(
      up("edge1", { sessionsVsCalls: { sessions: 4, calls: 3, gap: 1, engines: 1 } }),
    );
    expect(row).toMatchObject({ rtpengineSessions: 4, callsAnswered: 3 });
    expect(sampleColumns(up("edge1", { sessionsVsCalls: null }))).toMatchObject({
      rtpengineSessions: null,
      callsAnswered: null,
    });
    expect(sampleColumns(down("edge1"))).toMatchObject({
      rtpengineSessions: null,
      socketsWithoutRegistration: null,
    });
  });

  it("stores sockets vs registrations only in the cycle whose ul.dump it was joined from", () => {
    // joined at the cycle's start (polledAt − durationMs)
    const fresh = sampleColumns(up("edge1", { socketsVsRegistrations: sockets(t0 - 40) }));
    expect(fresh).toMatchObject({ socketsWithoutRegistration: 3, registrationsWithoutSocket: 1 });
    // the last join carried over from an earlier cycle: not measured now, so not stored again
    const carried = sampleColumns(up("edge1", { socketsVsRegistrations: sockets(t0 - 40 - intervalMs) }));
    expect(carried).toMatchObject({ socketsWithoutRegistration: null, registrationsWithoutSocket: null });
  });
});

describe("a bucket's branch-failure verdict", () => {
  it("judges from 20 relayed branches, never makes 0 % of nothing", () => {
    expect(branchRate(30, 3)).toEqual({ relayed: 30, failed: 3, rate: 0.1, verdict: "judged" });
    expect(branchRate(19, 0)).toEqual({ relayed: 19, failed: 0, rate: null, verdict: "too_few" });
    expect(branchRate(20, 21)).toMatchObject({ rate: null, verdict: "inconsistent" });
    expect(branchRate(null, null)).toMatchObject({ rate: null, verdict: "no_data" });
  });
});

describe("down spans under a chart", () => {
  it("joins consecutive down buckets, leaves unpolled ones out", () => {
    const at = (i: number) => new Date(t0 + i * 60_000).toISOString();
    const ups = [true, false, false, null, false, true, false];
    const spans = downSpans(
      ups.map((up, i) => ({ at: at(i), up })),
      60_000,
    );
    expect(spans).toEqual([
      { fromIndex: 1, toIndex: 2, from: at(1), to: at(3) },
      { fromIndex: 4, toIndex: 4, from: at(4), to: at(5) },
      { fromIndex: 6, toIndex: 6, from: at(6), to: at(7) },
    ]);
  });
});

describe("a fleet that is down", () => {
  it("says node down on every wall health tile instead of an up node's reason", () => {
    const html = renderToStaticMarkup(
      createElement(HealthTiles, { fleet: fleet(down("edge1")), elapsedMs: 0 }),
    );
    expect(html.match(/data-testid="wall-health-detail"[^>]*>node down \(edge1\)</g)).toHaveLength(4);
    expect(html).not.toContain("no branch counters");
    expect(html).not.toContain("no ul.dump joined");
    const two = renderToStaticMarkup(
      createElement(HealthTiles, { fleet: fleet(down("edge1"), down("edge2")), elapsedMs: 0 }),
    );
    expect(two).toContain(">all 2 nodes down<");
  });

  it("keeps an up node's reason when another node is down", () => {
    const html = renderToStaticMarkup(
      createElement(HealthTiles, { fleet: fleet(up("edge1"), down("edge2")), elapsedMs: 0 }),
    );
    expect(html).not.toContain("node down (");
  });

  it("says node down in the node page's health numbers", () => {
    const [node] = fleet(down("edge1")).nodes;
    if (!node) throw new Error("no node");
    expect(nodeHealthItems(node, 0).map((i) => i.detail)).toEqual([
      "node down",
      "node down",
      "node down",
      "node down",
    ]);
  });
});

describe("a tile's sparkline", () => {
  it("says there is no history rather than drawing zeros", () => {
    const html = renderToStaticMarkup(
      createElement(HealthSparkline, { points: [{ at: new Date(t0).toISOString(), value: null }] }),
    );
    expect(html).toContain('data-points="0"');
    expect(html).toContain("no history in the last hour");
  });
});
