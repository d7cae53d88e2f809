import { describe, expect, it } from "vitest";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  FleetSnapshotSchema,
  type NodeMeasurement,
  OverviewResponseSchema,
  withAges,
} from "./snapshot";

const measurement = (ws: number): NodeMeasurement => ({
  ws,
  wss: ws * 2,
  registrations: ws,
  aors: ws,
  dialogsActive: 1,
  dialogsEarly: 0,
  rtpengineUp: 1,
  rtpengineTotal: 2,
  rtpengines: [],
  branches: [],
  stats: {},
});

const at = new Date("2026-01-01T00:00:10.000Z");
const node = (name: string) => ({ name, rpcUrl: `http://${name}/RPC`, intervalMs: 2000 });

describe("fleet snapshot", () => {
  it("sums only nodes that are up, counts all nodes, and sorts them by name", () => {
    const a = buildUpNodeSnapshot(node("b-node"), { polledAt: at, durationMs: 5 }, measurement(3));
    const b = buildUpNodeSnapshot(node("a-node"), { polledAt: at, durationMs: 5 }, measurement(10));
    const down = buildDownNodeSnapshot(node("c-node"), { polledAt: at, durationMs: 5 }, "refused", a);
    const fleet = buildFleetSnapshot([a, down, b], 2000, at);
    expect(fleet.nodes.map((n) => n.name)).toEqual(["a-node", "b-node", "c-node"]);
    expect(fleet.totals).toEqual({
      ws: 13,
      wss: 26,
      registrations: 13,
      dialogsActive: 2,
      dialogsEarly: 0,
      rtpengineUp: 2,
      rtpengineTotal: 4,
      nodesUp: 2,
      nodesTotal: 3,
      incomplete: [],
    });
    expect(down.lastUp).toEqual(a.lastUp);
    expect(FleetSnapshotSchema.parse(fleet)).toEqual(fleet);
  });

  it("a number an up node cannot give is left out of the sum and named; with no value anywhere it is null, not 0", () => {
    const a = buildUpNodeSnapshot(node("a"), { polledAt: at, durationMs: 5 }, measurement(3));
    const b = buildUpNodeSnapshot(
      node("b"),
      { polledAt: at, durationMs: 5 },
      {
        ...measurement(4),
        registrations: null,
        rtpengineUp: null,
      },
    );
    const onlyB = buildFleetSnapshot([b], 2000, at).totals;
    expect(onlyB).toMatchObject({
      registrations: null,
      rtpengineUp: null,
      ws: 4,
      incomplete: ["registrations", "rtpengineUp"],
    });
    const both = buildFleetSnapshot([a, b], 2000, at).totals;
    expect(both).toMatchObject({ registrations: 3, ws: 7, incomplete: ["registrations", "rtpengineUp"] });
    expect(b.readings?.registrations.state).toBe("unavailable");
  });

  it("adds each node's age at response time", () => {
    const a = buildUpNodeSnapshot(node("a"), { polledAt: at, durationMs: 5 }, measurement(1));
    const response = withAges(buildFleetSnapshot([a], 2000, at), new Date(at.getTime() + 1500));
    expect(response.nodes[0]?.ageMs).toBe(1500);
    expect(OverviewResponseSchema.parse(response)).toEqual(response);
  });
});
