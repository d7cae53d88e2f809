import { describe, expect, it } from "vitest";
import {
  elapsedSince,
  fleetFigure,
  formatAge,
  formatCount,
  nodeTone,
  problemProbes,
  readingAgeMs,
  readingOf,
  shownNumber,
  valuesAgeMs,
} from "@/components/live/fleet-view";
import { figureNotes } from "@/components/live/reading-text";
import type { ProbeStatus, Reading } from "@/lib/poller/readings";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  byKey,
  type NodeMeasurement,
  type NodeReadings,
  nodeNumberKeys,
  type OverviewNode,
  type OverviewResponse,
  withAges,
} from "@/lib/poller/snapshot";
import { sampleMeasurement } from "../support/snapshots";

const intervalMs = 2000;
const t0 = new Date("2025-01-01T10:00:00.000Z");

const measurement = sampleMeasurement;

function upNode(name: string, polledAt: Date, overrides: Partial<NodeMeasurement> = {}) {
  return buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt, durationMs: 12 },
    measurement(overrides),
  );
}

/** Readings of an up node polled at `at`: fresh unless overridden. */
function readings(at: Date, overrides: Partial<NodeReadings> = {}): NodeReadings {
  const fresh = (): Reading => ({ state: "ok", reason: null, measuredAt: at.toISOString(), source: null });
  return { ...byKey(nodeNumberKeys, fresh), ...overrides };
}

const ulDump = "ul.dump: reply larger than 1 MiB (truncated)";
const ago = (at: Date, ms: number) => new Date(at.getTime() - ms).toISOString();

function probe(name: string, state: ProbeStatus["state"], reason: string | null = null): ProbeStatus {
  return {
    probe: name,
    state,
    reason,
    since: null,
    failures: state === "ok" ? 0 : 3,
    measuredAt: null,
    nextAttemptAt: null,
  };
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

describe("fleet view: readings and probes", () => {
  it("gives the reading behind a number, none for a down node, and one made from the number for old snapshots", () => {
    const stale: Reading = { state: "stale", reason: ulDump, measuredAt: ago(t0, 40_000), source: "ul.dump" };
    const up = upNode("a", t0, { readings: readings(t0, { registrations: stale }) });
    const fleet = fleetAt(t0, up, { ...upNode("old", t0, { aors: null }), readings: null });
    expect(readingOf(node(fleet, "a"), "registrations")).toEqual(stale);
    expect(readingOf(node(fleet, "old"), "ws")?.state).toBe("ok");
    expect(readingOf(node(fleet, "old"), "aors")?.state).toBe("unavailable");
    const down = buildDownNodeSnapshot(
      { name: "d", rpcUrl: "http://d/RPC", intervalMs },
      { polledAt: t0, durationMs: 1 },
      "timeout",
      up,
    );
    expect(readingOf(node(fleetAt(t0, down), "d"), "ws")).toBeNull();
  });

  it("dates a reading from the server's own times: poll age plus how long before the poll it was measured", () => {
    const stale: Reading = { state: "stale", reason: ulDump, measuredAt: ago(t0, 40_000), source: null };
    const fleet = fleetAt(
      new Date(t0.getTime() + 1000),
      upNode("a", t0, { readings: readings(t0, { aors: stale }) }),
    );
    expect(readingAgeMs(node(fleet, "a"), "aors", 0)).toBe(41_000);
    expect(readingAgeMs(node(fleet, "a"), "aors", 2000)).toBe(43_000);
    expect(readingAgeMs(node(fleet, "a"), "ws", 0)).toBe(1000);
  });

  it("keeps an up node with a failing probe up, and lists its probes that are not ok in order", () => {
    const probes = [
      probe("core", "ok"),
      probe("rtpengine-ng", "failing", "no NG pong from udp:127.0.0.1:22222"),
      probe("contacts", "stale", ulDump),
      probe("dialog-list", "unavailable", "dlg.list: module not loaded"),
    ];
    const fleet = fleetAt(t0, upNode("a", t0, { probes }));
    expect(nodeTone(node(fleet, "a"), 0)).toBe("ok");
    expect(problemProbes(node(fleet, "a")).map((p) => [p.probe, p.state])).toEqual([
      ["rtpengine-ng", "failing"],
      ["contacts", "stale"],
      ["dialog-list", "unavailable"],
    ]);
  });
});

describe("fleet view: wall figures with stale or missing parts", () => {
  it("counts an up node's stale value, dates the figure by it and marks the tile partial", () => {
    const stale: Reading = {
      state: "stale",
      reason: ulDump,
      measuredAt: ago(t0, 40_000),
      source: "ul.dump",
    };
    const fleet = fleetAt(
      t0,
      upNode("a", t0, { registrations: 3 }),
      upNode("b", t0, { registrations: 5, readings: readings(t0, { registrations: stale }) }),
    );
    const figure = fleetFigure(fleet, "registrations", 0);
    expect(figure).toMatchObject({ value: 8, tone: "partial", missing: [], valuesAgeMs: 40_000 });
    expect(figure.staleIncluded).toEqual([{ node: "b", state: "stale", reason: ulDump, ageMs: 40_000 }]);
    expect(figureNotes(figure)).toEqual([`b: stale 40 s — ${ulDump}`]);
    expect(fleetFigure(fleet, "ws", 0).tone).toBe("ok");
  });

  it("leaves an up node without a value out of the sum, says why, and never counts it as 0", () => {
    const reason = "unavailable (usrloc keeps contacts in the database): its statistics read 0";
    const missing: Reading = { state: "unavailable", reason, measuredAt: null, source: null };
    const fleet = fleetAt(
      t0,
      upNode("a", t0, { registrations: 3 }),
      upNode("b", t0, { registrations: null, readings: readings(t0, { registrations: missing }) }),
    );
    const figure = fleetFigure(fleet, "registrations", 0);
    expect(figure).toMatchObject({ value: 3, tone: "partial", staleIncluded: [] });
    expect(figure.missing).toEqual([{ node: "b", state: "unavailable", reason, ageMs: null }]);
    expect(figureNotes(figure)).toEqual([`b: — ${reason}`]);
  });

  it("has no value when no node has one, and a down node still turns the tile red", () => {
    const failing: Reading = {
      state: "failing",
      reason: "dlg.stats_active: timeout",
      measuredAt: null,
      source: null,
    };
    const only = upNode("a", t0, { dialogsActive: null, readings: readings(t0, { dialogsActive: failing }) });
    const alone = fleetFigure(fleetAt(t0, only), "dialogsActive", 0);
    expect(alone).toMatchObject({ value: null, tone: "partial" });
    expect(figureNotes(alone)).toEqual(["a: — failing: dlg.stats_active: timeout"]);
    const down = buildDownNodeSnapshot(
      { name: "b", rpcUrl: "http://b/RPC", intervalMs },
      { polledAt: t0, durationMs: 1 },
      "timeout",
      undefined,
    );
    expect(fleetFigure(fleetAt(t0, only, down), "dialogsActive", 0).tone).toBe("down");
  });

  it("summarises several nodes in one short note each", () => {
    const stale = (ms: number): Reading => ({
      state: "stale",
      reason: "x",
      measuredAt: ago(t0, ms),
      source: null,
    });
    const fleet = fleetAt(
      t0,
      upNode("a", t0, { readings: readings(t0, { ws: stale(20_000) }) }),
      upNode("b", t0, { readings: readings(t0, { ws: stale(50_000) }) }),
    );
    expect(figureNotes(fleetFigure(fleet, "ws", 0))).toEqual(["2 nodes stale, oldest 50 s"]);
  });
});
