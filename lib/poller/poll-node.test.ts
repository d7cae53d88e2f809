import { describe, expect, it } from "vitest";
import type { ProbeResults } from "./collect";
import { type NodeEvent, type NodePollState, PollPersistError, pollNodeOnce } from "./poll-node";
import type { NodeSnapshot } from "./snapshot";

const target = { id: 7, name: "edge-1", rpcUrl: "http://127.0.0.1:5080/RPC" };

function results(ws: number, wss: number): ProbeResults {
  const byId: ProbeResults["connections"]["byId"] = new Map();
  for (let i = 0; i < ws + wss; i++) {
    byId.set(100 + i, {
      id: 100 + i,
      type: i < ws ? "WS" : "WSS",
      state: "CONN_OK",
      timeoutSeconds: 60,
      lifetimeSeconds: 60,
      refCount: 1,
      srcIp: "127.0.0.1",
      srcPort: 40000 + i,
      dstIp: "127.0.0.1",
      dstPort: i < ws ? 8080 : 8443,
    });
  }
  return {
    connections: { ws, wss, byId },
    websockets: { truncated: false, awaitingPong: 0 },
    registrations: { contacts: [], aors: 0 },
    dialogs: { active: 1, early: 2 },
    rtpengine: {
      up: 1,
      total: 1,
      engines: [{ url: "udp:127.0.0.1:22222", set: 0, up: true, disabled: false }],
    },
    stats: { "websocket.ws_current_connections": ws + wss },
    branches: [{ direction: "wss_udp", relayed: 5, failed: 1 }],
    unavailable: [],
    retries: 0,
  };
}

function harness(collect: () => Promise<ProbeResults>) {
  const published: NodeSnapshot[] = [];
  const persisted: NodeSnapshot[] = [];
  const events: NodeEvent[] = [];
  let clockMs = 0;
  const deps = {
    intervalMs: 2000,
    collect: async () => {
      clockMs += 12;
      return collect();
    },
    publish: (s: NodeSnapshot) => published.push(s),
    persist: async (s: NodeSnapshot) => {
      persisted.push(s);
    },
    recordEvent: async (e: NodeEvent) => {
      events.push(e);
    },
    now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, published.length)),
    clock: () => clockMs,
  };
  return { deps, published, persisted, events };
}

const fresh = (): NodePollState => ({ knownUp: null, lastUpAt: null, lastUp: null });

describe("pollNodeOnce", () => {
  it("an answering node gives numbers, lastUp, one sample and no event", async () => {
    const h = harness(async () => results(3, 4));
    const state = fresh();
    const snap = await pollNodeOnce(target, state, h.deps);
    expect(snap).toMatchObject({ up: true, error: null, ws: 3, wss: 4, dialogsActive: 1, dialogsEarly: 2 });
    expect(snap.durationMs).toBe(12);
    expect(snap.lastUp).toMatchObject({ ws: 3, wss: 4, rtpengineUp: 1, rtpengineTotal: 1 });
    expect(snap.lastUpAt).toBe(snap.polledAt);
    expect(h.published).toEqual([snap]);
    expect(h.persisted).toEqual([snap]);
    expect(h.events).toEqual([]);
    expect(state).toEqual({ knownUp: true, lastUpAt: snap.polledAt, lastUp: snap.lastUp });
  });

  it("a node that stops answering gets nulls (not zeros), keeps its last up values, and one node_down", async () => {
    let answering = true;
    const h = harness(async () => {
      if (!answering) throw new Error("connect ECONNREFUSED 127.0.0.1:5080");
      return results(2, 2);
    });
    const state = fresh();
    const up = await pollNodeOnce(target, state, h.deps);
    answering = false;
    const down = await pollNodeOnce(target, state, h.deps);
    const stillDown = await pollNodeOnce(target, state, h.deps);

    for (const snap of [down, stillDown]) {
      expect(snap.up).toBe(false);
      expect(snap.error).toContain("ECONNREFUSED");
      for (const key of ["ws", "wss", "registrations", "aors", "dialogsActive", "dialogsEarly"] as const) {
        expect(snap[key]).toBeNull();
      }
      expect(snap.rtpengines).toBeNull();
      expect(snap.branches).toBeNull();
      expect(snap.stats).toBeNull();
      expect(snap.lastUp).toEqual(up.lastUp);
      expect(snap.lastUpAt).toBe(up.polledAt);
    }
    expect(h.events.map((e) => e.kind)).toEqual(["node_down"]);
    expect(h.events[0]?.message).toContain("edge-1");
    expect(h.persisted.map((s) => s.up)).toEqual([true, false, false]);

    answering = true;
    const back = await pollNodeOnce(target, state, h.deps);
    expect(back.up).toBe(true);
    expect(h.events.map((e) => e.kind)).toEqual(["node_down", "node_up"]);
    expect(h.events[1]?.detail.lastUpBefore).toBe(up.polledAt);
  });

  it("a node never seen up emits node_down on its first failed poll, with lastUp null", async () => {
    const h = harness(async () => {
      throw new Error("timeout");
    });
    const snap = await pollNodeOnce(target, fresh(), h.deps);
    expect(snap).toMatchObject({ up: false, lastUp: null, lastUpAt: null, ws: null });
    expect(h.events.map((e) => e.kind)).toEqual(["node_down"]);
  });

  it("continues a history loaded from the database: down after a known down is no new event", async () => {
    const h = harness(async () => {
      throw new Error("timeout");
    });
    const lastUp = {
      ws: 1,
      wss: 1,
      registrations: 2,
      aors: 2,
      dialogsActive: 0,
      dialogsEarly: 0,
      rtpengineUp: 1,
      rtpengineTotal: 1,
    };
    const state: NodePollState = { knownUp: false, lastUpAt: "2025-12-31T23:00:00.000Z", lastUp };
    const snap = await pollNodeOnce(target, state, h.deps);
    expect(snap.lastUp).toEqual(lastUp);
    expect(snap.lastUpAt).toBe("2025-12-31T23:00:00.000Z");
    expect(h.events).toEqual([]);
  });

  it("an aborted cycle (scheduler timeout) records the node down with the abort reason", async () => {
    const h = harness(() => new Promise<ProbeResults>(() => {}));
    const controller = new AbortController();
    const pending = pollNodeOnce(target, fresh(), h.deps, controller.signal);
    controller.abort(new Error("edge-1: poll run exceeded 4000 ms"));
    const snap = await pending;
    expect(snap).toMatchObject({ up: false, error: "edge-1: poll run exceeded 4000 ms" });
    expect(h.persisted).toHaveLength(1);
  });

  it("a storage failure still updates the live snapshot, then throws", async () => {
    const h = harness(async () => results(1, 0));
    h.deps.persist = async () => {
      throw new Error("database unavailable");
    };
    await expect(pollNodeOnce(target, fresh(), h.deps)).rejects.toBeInstanceOf(PollPersistError);
    expect(h.published).toHaveLength(1);
    expect(h.published[0]?.ws).toBe(1);
  });
});
