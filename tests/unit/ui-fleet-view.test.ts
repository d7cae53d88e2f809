import { describe, expect, it } from "vitest";
import {
  elapsedSince,
  fleetFigure,
  formatAge,
  formatCount,
  nodeTone,
  shownNumber,
  valuesAgeMs,
} from "@/components/live/fleet-view";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  type NodeMeasurement,
  type OverviewNode,
  type OverviewResponse,
  withAges,
} from "@/lib/poller/snapshot";

const intervalMs = 2000;
const t0 = new Date("2025-01-01T10:00:00.000Z");

function measurement(overrides: Partial<NodeMeasurement> = {}): NodeMeasurement {
  return {
    ws: 3,
    wss: 5,
    registrations: 7,
    aors: 6,
    dialogsActive: 2,
    dialogsEarly: 1,
    rtpengineUp: 1,
    rtpengineTotal: 1,
    rtpengines: [],
    branches: [],
    stats: {},
    ...overrides,
  };
}

function upNode(name: string, polledAt: Date, overrides: Partial<NodeMeasurement> = {}) {
  return buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt, durationMs: 12 },
    measurement(overrides),
  );
}

function fleetAt(now: Date, ...nodes: Parameters<typeof buildFleetSnapshot>[0]): OverviewResponse {
  return withAges(buildFleetSnapshot(nodes, intervalMs, now), now);
}

function node(fleet: OverviewResponse, name: string): OverviewNode {
  const found = fleet.nodes.find((n) => n.name === name);
  if (!found) throw new Error(`no node ${name}`);
  return found;
}

describe("fleet view: ages", () => {
  it("adds the time elapsed in the browser to the server's age", () => {
    const fleet = fleetAt(new Date(t0.getTime() + 500), upNode("a", t0));
    expect(node(fleet, "a").ageMs).toBe(500);
    expect(elapsedSince(1_000, 4_000)).toBe(3_000);
    expect(elapsedSince(null, 4_000)).toBe(0);
    expect(elapsedSince(5_000, 4_000)).toBe(0);
  });

  it("dates a down node's values from its last successful poll", () => {
    const up = upNode("a", t0);
    const down = buildDownNodeSnapshot(
      { name: "a", rpcUrl: "http://a/RPC", intervalMs },
      { polledAt: new Date(t0.getTime() + 60_000), durationMs: 5000 },
      "connect ECONNREFUSED",
      up,
    );
    const fleet = fleetAt(new Date(t0.getTime() + 61_000), down);
    expect(valuesAgeMs(node(fleet, "a"), 0)).toBe(61_000);
    expect(valuesAgeMs(node(fleet, "a"), 4_000)).toBe(65_000);
  });

  it("formats ages and counts for people", () => {
    expect(formatAge(1234)).toBe("1.2 s");
    expect(formatAge(42_000)).toBe("42 s");
    expect(formatAge(3 * 60_000 + 5_000)).toBe("3 min");
    expect(formatAge(2 * 3_600_000)).toBe("2 h");
    expect(formatAge(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 5 min");
    expect(formatAge(null)).toBe("never");
    expect(formatCount(12345)).toBe("12,345");
    expect(formatCount(null)).toBe("—");
  });
});

describe("fleet view: tones", () => {
  it("is ok while fresh, grey after three poll intervals", () => {
    const fleet = fleetAt(new Date(t0.getTime() + 1000), upNode("a", t0));
    expect(nodeTone(node(fleet, "a"), 0)).toBe("ok");
    expect(nodeTone(node(fleet, "a"), 3 * intervalMs - 1000)).toBe("ok");
    expect(nodeTone(node(fleet, "a"), 3 * intervalMs)).toBe("stale");
  });

  it("is red for a down node with a fresh poll, grey once that poll is old too", () => {
    const down = buildDownNodeSnapshot(
      { name: "a", rpcUrl: "http://a/RPC", intervalMs },
      { polledAt: t0, durationMs: 5000 },
      "timeout",
      undefined,
    );
    const fleet = fleetAt(t0, down);
    expect(nodeTone(node(fleet, "a"), 0)).toBe("down");
    expect(nodeTone(node(fleet, "a"), 10_000)).toBe("stale");
  });
});

describe("fleet view: wall figures", () => {
  it("sums live values of up nodes", () => {
    const fleet = fleetAt(t0, upNode("a", t0, { ws: 3 }), upNode("b", t0, { ws: 4 }));
    const figure = fleetFigure(fleet, "ws", 0);
    expect(figure).toMatchObject({ value: 7, nodesDown: 0, lastKnownIncluded: 0, tone: "ok" });
  });

  it("keeps a down node's last-known value in the sum and turns the tile red", () => {
    const before = upNode("b", t0, { wss: 10 });
    const down = buildDownNodeSnapshot(
      { name: "b", rpcUrl: "http://b/RPC", intervalMs },
      { polledAt: new Date(t0.getTime() + 4000), durationMs: 2000 },
      "timeout",
      before,
    );
    const now = new Date(t0.getTime() + 4000);
    const fleet = fleetAt(now, upNode("a", now, { wss: 5 }), down);
    expect(fleet.totals.wss).toBe(5);
    expect(shownNumber(node(fleet, "b"), "wss")).toBe(10);
    const figure = fleetFigure(fleet, "wss", 0);
    expect(figure).toMatchObject({ value: 15, nodesDown: 1, lastKnownIncluded: 1, tone: "down" });
    expect(figure.valuesAgeMs).toBe(4000);
  });

  it("shows no value rather than zero for a node that was never up", () => {
    const down = buildDownNodeSnapshot(
      { name: "a", rpcUrl: "http://a/RPC", intervalMs },
      { polledAt: t0, durationMs: 2000 },
      "refused",
      undefined,
    );
    const figure = fleetFigure(fleetAt(t0, down), "registrations", 0);
    expect(figure.value).toBeNull();
    expect(figure.tone).toBe("down");
  });

  it("is empty without nodes and grey when any node's poll is stale", () => {
    expect(fleetFigure(fleetAt(t0), "ws", 0).tone).toBe("empty");
    const fleet = fleetAt(t0, upNode("a", t0), upNode("b", new Date(t0.getTime() - 7000)));
    expect(fleetFigure(fleet, "ws", 0).tone).toBe("stale");
    expect(fleetFigure(fleet, "ws", 0).pollAgeMs).toBe(7000);
  });
});
