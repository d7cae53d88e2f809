import { describe, expect, it } from "vitest";
import {
  matchesStatus,
  parseNodeView,
  problemRank,
  problemsFirst,
  sortValue,
  writeNodeView,
} from "@/components/overview/node-order";
import type { ProbeStatus } from "@/lib/poller/readings";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  type NodeMeasurement,
  type NodeSnapshot,
  withAges,
} from "@/lib/poller/snapshot";
import { sampleMeasurement } from "../support/snapshots";

const intervalMs = 2000;
const now = new Date("2025-01-01T10:00:00.000Z");

function up(name: string, overrides: Partial<NodeMeasurement> = {}, extra: Partial<NodeSnapshot> = {}) {
  const node = buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt: now, durationMs: 12 },
    sampleMeasurement(overrides),
  );
  return { ...node, ...extra };
}

function down(name: string) {
  return buildDownNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt: now, durationMs: 3 },
    "connect ECONNREFUSED",
    undefined,
  );
}

const failing: ProbeStatus = {
  probe: "registrations",
  state: "failing",
  reason: "timeout",
  since: null,
  failures: 3,
  measuredAt: null,
  nextAttemptAt: null,
};

function fleet(nodes: NodeSnapshot[]) {
  return withAges(buildFleetSnapshot(nodes, intervalMs, now), now).nodes;
}

describe("overview node order", () => {
  const nodes = fleet([
    up("a-fine"),
    down("z-down"),
    up("b-probe", {}, { probes: [failing] }),
    up("c-gap", {}, { sessionsVsCalls: { sessions: 3, calls: 1, gap: 2, engines: 1 } }),
    down("m-down"),
  ]);

  it("puts down nodes first, then probe or health problems, then the rest, each by name", () => {
    expect(problemsFirst(nodes, 0).map((n) => n.name)).toEqual([
      "m-down",
      "z-down",
      "b-probe",
      "c-gap",
      "a-fine",
    ]);
    expect(nodes.map((n) => [n.name, problemRank(n, 0)])).toEqual([
      ["a-fine", 3],
      ["b-probe", 2],
      ["c-gap", 2],
      ["m-down", 0],
      ["z-down", 0],
    ]);
    // a snapshot older than 3 poll intervals is stale, right after the down nodes
    expect(problemRank(nodes[0] as (typeof nodes)[number], 3 * intervalMs + 1)).toBe(1);
  });

  it("filters by status and sorts unknown numbers as undefined, never as 0", () => {
    const names = (status: Parameters<typeof matchesStatus>[1]) =>
      nodes.filter((n) => matchesStatus(n, status, 0)).map((n) => n.name);
    expect(names("down")).toEqual(["m-down", "z-down"]);
    expect(names("up")).toEqual(["a-fine", "b-probe", "c-gap"]);
    expect(names("problems")).toEqual(["b-probe", "c-gap", "m-down", "z-down"]);
    expect(names(null)).toHaveLength(5);
    const zDown = nodes.find((n) => n.name === "z-down");
    const fine = nodes.find((n) => n.name === "a-fine");
    if (!zDown || !fine) throw new Error("fixture");
    expect(sortValue(zDown, "registrations", 0)).toBeUndefined();
    expect(sortValue(zDown, "sessions", 0)).toBeUndefined();
    expect(sortValue(fine, "registrations", 0)).toBe(fine.registrations);
    expect(sortValue(fine, "connections", 0)).toBe((fine.ws ?? 0) + (fine.wss ?? 0));
  });

  it("reads and writes the view in the URL query, keeping other parameters and dropping defaults", () => {
    const query = new URLSearchParams("range=24h&sort=registrations&dir=desc&q=edge&status=down");
    const view = parseNodeView(query);
    expect(view).toEqual({ sort: "registrations", desc: true, q: "edge", status: "down" });
    expect(writeNodeView(query, { ...view, sort: null, q: "", status: null }).toString()).toBe("range=24h");
    expect(
      writeNodeView(new URLSearchParams(), { sort: "name", desc: false, q: "x y", status: "up" }).toString(),
    ).toBe("sort=name&q=x+y&status=up");
    // unknown values fall back to the default view
    expect(parseNodeView(new URLSearchParams("sort=<script>&dir=sideways&status=maybe"))).toEqual({
      sort: null,
      desc: false,
      q: "",
      status: null,
    });
  });
});
