import { describe, expect, it } from "vitest";
import type { CycleResults } from "./collect";
import {
  type NodeEvent,
  type NodePollState,
  newNodePollState,
  PollPersistError,
  pollNodeOnce,
} from "./poll-node";
import { applyOutcome } from "./probe-state";
import type { ConnectionsResult } from "./probes/connections";
import type { NodeSnapshot } from "./snapshot";

const target = { id: 7, name: "edge-1", rpcUrl: "http://127.0.0.1:5080/RPC" };
const timing = {
  intervalMs: 2000,
  cadenceMs: 2000,
  backoffMaxMs: 60_000,
  staleMaxMs: 300_000,
  startupGraceMs: 60_000,
  unavailableRecheckMs: 60_000,
};

/** A cycle in which core.uptime and core.tcp_list answered (ws + wss connections); the other probes did not run. */
function results(ws: number, wss: number): CycleResults {
  const byId: ConnectionsResult["byId"] = new Map();
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
  const connections: ConnectionsResult = { ws, wss, byId };
  const memory = new Map([
    [
      "connections",
      applyOutcome("connections", undefined, { kind: "ok", result: connections }, 0, timing).memory,
    ],
  ]);
  return {
    core: { uptimeS: 100, version: null },
    values: new Map([["connections", connections]]),
    fresh: new Set(["connections"]),
    memory,
    statuses: [],
    transitions: [],
    retries: 0,
    skipped: [],
  };
}

function harness(collect: () => Promise<CycleResults>) {
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
    // each poll one second later; uptime stays 100 in results(): the node restarted? no, start time is compared
    // with a tolerance and these polls are a second apart
    now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, published.length)),
    clock: () => clockMs,
  };
  return { deps, published, persisted, events };
}

const fresh = (): NodePollState => newNodePollState();

describe("pollNodeOnce", () => {
  it("an answering node gives numbers, lastUp, one sample and no event", async () => {
    const h = harness(async () => results(3, 4));
    const state = fresh();
    const snap = await pollNodeOnce(target, state, h.deps);
    expect(snap).toMatchObject({
      up: true,
      error: null,
      ws: 3,
      wss: 4,
      dialogsActive: null,
      dialogsEarly: null,
    });
    expect(snap.durationMs).toBe(12);
    expect(snap.lastUp).toMatchObject({ ws: 3, wss: 4, rtpengineUp: null, rtpengineTotal: null });
    expect(snap.readings?.ws.state).toBe("ok");
    expect(snap.readings?.dialogsActive.state).toBe("failing"); // never ran: not a zero
    expect(snap.lastUpAt).toBe(snap.polledAt);
    expect(h.published).toEqual([snap]);
    expect(h.persisted).toEqual([snap]);
    expect(h.events).toEqual([]);
    expect(state).toMatchObject({ knownUp: true, lastUpAt: snap.polledAt, lastUp: snap.lastUp });
    expect(state.kamailio).toMatchObject({ uptimeS: 100, restartedAt: null });
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
    const state = newNodePollState({ knownUp: false, lastUpAt: "2025-12-31T23:00:00.000Z", lastUp });
    const snap = await pollNodeOnce(target, state, h.deps);
    expect(snap.lastUp).toEqual(lastUp);
    expect(snap.lastUpAt).toBe("2025-12-31T23:00:00.000Z");
    expect(h.events).toEqual([]);
  });

  it("an aborted cycle (scheduler timeout) records the node down with the abort reason", async () => {
    const h = harness(() => new Promise<CycleResults>(() => {}));
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
