// A Kamailio that is not our gateway (no bridge counters, no rtpengine/websocket/dialog/usrloc modules) must show
// up, with the numbers of the probes it cannot serve null and listed in `unavailable`. Replies are the captured
// ones (tests/fixtures/rpc, README "Kamailio without our modules"), decoded as the live transport decodes them.
import { describe, expect, it } from "vitest";
import { isMethodNotFound, KamailioRpcError, type KamailioRpcErrorKind } from "@/lib/kamailio/errors";
import { parseCntGrpGetAll } from "@/lib/kamailio/methods/cnt-grp-get-all";
import { parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { parseRtpengineShow } from "@/lib/kamailio/methods/rtpengine-show";
import { parseStatsFetch } from "@/lib/kamailio/methods/stats-fetch";
import { parseUlDump } from "@/lib/kamailio/methods/ul-dump";
import { parseWsDump } from "@/lib/kamailio/methods/ws-dump";
import { sampleColumns } from "@/lib/metrics/sample-columns";
import { type CollectMode, collectProbes } from "@/lib/poller/collect";
import { type NodeEvent, type NodePollState, pollNodeOnce } from "@/lib/poller/poll-node";
import type { ProbeRpc } from "@/lib/poller/probes/types";
import { type NodeSnapshot, NodeSnapshotSchema } from "@/lib/poller/snapshot";
import { FIXTURE_NODE, fixtureFailure, fixtureResult } from "./rpc-fixtures";

type Method = keyof ProbeRpc;
const methodNames: Record<Method, string> = {
  tcpList: "core.tcp_list",
  wsDump: "ws.dump",
  ulDump: "ul.dump",
  dlgList: "dlg.list",
  rtpengineShowAll: "rtpengine.show",
  statsFetch: "stats.fetch",
  cntGrpGetAll: "cnt.grp_get_all",
};

/** Our gateway's replies (lab captures). */
const gateway: Record<Method, string> = {
  tcpList: "core.tcp_list.clients.json",
  wsDump: "ws.dump.clients.json",
  ulDump: "ul.dump.registered.json",
  dlgList: "dlg.list.calls.json",
  rtpengineShowAll: "rtpengine.show.all-up.json",
  statsFetch: "stats.fetch.calls.json",
  cntGrpGetAll: "cnt.grp_get_all.bridge-calls.json",
};

/** A Kamailio with only xhttp + jsonrpcs (+ tm, tmx, kex for stats), captured from a private instance. */
const foreign: Record<Method, string> = {
  tcpList: "core.tcp_list.idle.json",
  wsDump: "ws.dump.module-not-loaded.http-500.json",
  ulDump: "ul.dump.module-not-loaded.http-500.json",
  dlgList: "dlg.list.module-not-loaded.http-500.json",
  rtpengineShowAll: "rtpengine.show.module-not-loaded.http-500.json",
  statsFetch: "stats.fetch.no-websocket-dialog.json",
  cntGrpGetAll: "cnt.grp_get_all.module-not-loaded.http-500.json",
};

type Answer = string | KamailioRpcError;

/** ProbeRpc answering from fixture files (HTTP status from the `.http-NNN.` in the name) or throwing errors. */
function fixtureRpc(answers: Record<Method, Answer>): ProbeRpc {
  const result = (method: Method): unknown => {
    const answer = answers[method];
    if (answer instanceof KamailioRpcError) throw answer;
    const status = Number(/\.http-(\d{3})\./.exec(answer)?.[1] ?? 200);
    return fixtureResult(answer, methodNames[method], status);
  };
  return {
    tcpList: async () => parseCoreTcpList(result("tcpList"), FIXTURE_NODE),
    wsDump: async () => parseWsDump(result("wsDump"), FIXTURE_NODE),
    ulDump: async () => parseUlDump(result("ulDump"), FIXTURE_NODE),
    dlgList: async () => parseDlgList(result("dlgList"), FIXTURE_NODE),
    rtpengineShowAll: async () => parseRtpengineShow(result("rtpengineShowAll"), FIXTURE_NODE),
    statsFetch: async () => parseStatsFetch(result("statsFetch"), FIXTURE_NODE),
    cntGrpGetAll: async () => parseCntGrpGetAll(result("cntGrpGetAll"), FIXTURE_NODE),
  };
}

const transportError = (kind: KamailioRpcErrorKind, method: string) =>
  new KamailioRpcError({ kind, method, nodeUrl: FIXTURE_NODE, detail: `${kind} failure` });

const target = { id: 3, name: "foreign-1", rpcUrl: FIXTURE_NODE };

/** Polls through the real collectProbes + pollNodeOnce, keeping what was published, stored and recorded. */
function poller(mode: CollectMode = "sequential") {
  const state: NodePollState = { knownUp: null, lastUpAt: null, lastUp: null };
  const persisted: NodeSnapshot[] = [];
  const events: NodeEvent[] = [];
  let second = 0;
  const poll = (answers: Record<Method, Answer>, branchCounterGroup?: string) =>
    pollNodeOnce(target, state, {
      intervalMs: 2000,
      collect: () => collectProbes({ rpc: fixtureRpc(answers), branchCounterGroup }, mode),
      publish: () => {},
      persist: async (snapshot) => {
        persisted.push(snapshot);
      },
      recordEvent: async (event) => {
        events.push(event);
      },
      now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, second++)),
    });
  return { poll, persisted, events, state };
}

const methodNotFound = "Kamailio answered error 500: Method Not Found (module not loaded)";

describe("captured 'not available' replies", () => {
  it("every probe method of a module that is not loaded answers 500 Method Not Found, like an unknown method", () => {
    for (const [method, file] of Object.entries(foreign)) {
      if (!file.includes("module-not-loaded")) continue;
      const name = methodNames[method as Method];
      const error = fixtureFailure(() => fixtureResult(file, name, 500));
      expect(error).toMatchObject({ kind: "rpc", rpcCode: 500, rpcMessage: "Method Not Found" });
      expect(isMethodNotFound(error)).toBe(true);
    }
    const unknown = fixtureFailure(() =>
      fixtureResult("error.method-not-found.http-500.json", "nosuch.method", 500),
    );
    expect(isMethodNotFound(unknown)).toBe(true);
  });

  it("other RPC errors and transport errors are not 'method not found'", () => {
    const badParam = fixtureFailure(() => fixtureResult("error.bad-param.http-400.json", "ws.dump", 400));
    expect(badParam).toMatchObject({ kind: "rpc", rpcCode: 400 });
    expect(isMethodNotFound(badParam)).toBe(false);
    expect(isMethodNotFound(transportError("http", "ws.dump"))).toBe(false);
    expect(isMethodNotFound(new Error("Method Not Found"))).toBe(false);
  });
});

describe("poll cycle of a node without our modules", () => {
  it("a missing counters group: node up, branches null, the probe listed with Kamailio's answer", async () => {
    const p = poller();
    const snap = await p.poll(
      { ...gateway, cntGrpGetAll: "cnt.grp_get_all.no-such-group.json" },
      "nosuchgroup",
    );
    expect(snap).toMatchObject({ up: true, error: null, ws: 4, wss: 4, registrations: 6, dialogsActive: 1 });
    expect(snap.rtpengineTotal).toBe(1);
    expect(snap.branches).toBeNull();
    expect(snap.unavailable).toEqual([
      {
        probe: "branches",
        reason: 'cnt.grp_get_all: counters group "nosuchgroup" does not exist (empty reply)',
      },
    ]);
    expect(NodeSnapshotSchema.parse(snap)).toEqual(snap);
    expect(p.events).toEqual([]);
    const row = sampleColumns(p.persisted[0] as NodeSnapshot);
    expect(row).toMatchObject({ up: true, wsConnections: 4, branchRelayed: null, branchFailed: null });
  });

  for (const mode of ["sequential", "parallel"] as const) {
    it(`no websocket/usrloc/dialog/rtpengine/counters modules (${mode}): up, their numbers null, all listed`, async () => {
      const p = poller(mode);
      const snap = await p.poll(foreign);
      expect(snap.up).toBe(true);
      expect(snap.error).toBeNull();
      expect(snap).toMatchObject({ ws: 0, wss: 0 });
      for (const key of ["registrations", "aors", "dialogsActive", "dialogsEarly"] as const) {
        expect(snap[key]).toBeNull();
      }
      expect(snap).toMatchObject({
        rtpengineUp: null,
        rtpengineTotal: null,
        rtpengines: null,
        branches: null,
      });
      expect(snap.unavailable).toEqual([
        { probe: "websockets", reason: `ws.dump: ${methodNotFound}` },
        { probe: "registrations", reason: `ul.dump: ${methodNotFound}` },
        { probe: "dialogs", reason: `dlg.list: ${methodNotFound}` },
        { probe: "rtpengine", reason: `rtpengine.show: ${methodNotFound}` },
        { probe: "branches", reason: `cnt.grp_get_all: ${methodNotFound}` },
      ]);
      // tmx is there; websocket/dialog stats and the stats derived from missing probes are left out, not zero
      expect(snap.stats?.["tmx.2xx_transactions"]).toBe(0);
      expect(Object.keys(snap.stats ?? {}).filter((k) => !k.startsWith("tmx."))).toEqual([
        "kamdash.rpc_retries",
      ]);
      expect(snap.lastUp).toMatchObject({ ws: 0, registrations: null, rtpengineUp: null });

      const row = sampleColumns(p.persisted[0] as NodeSnapshot);
      expect(row).toMatchObject({ up: true, error: null, wsConnections: 0, registrations: null, aors: null });
      expect(row).toMatchObject({ dialogsActive: null, rtpengineUp: null, rtpengineTotal: null });
      expect(row).toMatchObject({
        wsHandshakesOk: null,
        dialogsProcessed: null,
        tmx2xx: 0n,
        branchFailed: null,
      });
      expect(p.events).toEqual([]);
    });
  }

  it("without kex (stats.fetch not found) the stats probe is unavailable too", async () => {
    const snap = await poller().poll({
      ...foreign,
      statsFetch: "stats.fetch.module-not-loaded.http-500.json",
    });
    expect(snap.up).toBe(true);
    expect(snap.unavailable.map((u) => u.probe)).toContain("stats");
    expect(snap.stats).toEqual({ "kamdash.rpc_retries": 0 });
  });
});

describe("what still marks the node down", () => {
  it("a transport error after an up poll with unavailable probes: down, one node_down, lastUp kept", async () => {
    const p = poller();
    const up = await p.poll(foreign);
    const down = await p.poll({ ...foreign, tcpList: transportError("timeout", "core.tcp_list") });
    expect(down).toMatchObject({ up: false, ws: null, branches: null, unavailable: [] });
    expect(down.error).toBe(`connections: core.tcp_list on ${FIXTURE_NODE}: timeout failure`);
    expect(down.lastUp).toEqual(up.lastUp);
    expect(p.events.map((e) => [e.kind, e.detail.error])).toEqual([["node_down", down.error]]);
    expect(p.persisted.map((s) => s.up)).toEqual([true, false]);
  });

  it("a transport error on an optional probe is not 'unavailable': down", async () => {
    for (const kind of ["network", "http", "timeout", "too_large"] as const) {
      const p = poller();
      const snap = await p.poll({ ...foreign, cntGrpGetAll: transportError(kind, "cnt.grp_get_all") });
      expect(snap.up).toBe(false);
      expect(snap.error).toMatch(/^branches: cnt\.grp_get_all/);
      expect(p.events.map((e) => e.kind)).toEqual(["node_down"]);
    }
  });

  it("the core probe's method missing is down (that is not a Kamailio with JSON-RPC we can watch)", async () => {
    const p = poller();
    const snap = await p.poll({ ...foreign, tcpList: "error.method-not-found.http-500.json" });
    expect(snap.up).toBe(false);
    expect(snap.error).toBe(
      `connections: core.tcp_list on ${FIXTURE_NODE}: Kamailio answered error 500: Method Not Found`,
    );
    expect(p.events.map((e) => e.kind)).toEqual(["node_down"]);
  });

  it("an invalid reply or another RPC error on an optional probe: down", async () => {
    const invalid = await poller().poll({ ...gateway, dlgList: "dlg.list.malformed-wrong-type.json" });
    expect(invalid).toMatchObject({ up: false, unavailable: [] });
    expect(invalid.error).toMatch(/^dialogs: dlg\.list on .*: \[1\]\.call-id/);
    const badParam = await poller().poll({ ...gateway, wsDump: "error.bad-param.http-400.json" });
    expect(badParam.up).toBe(false);
    expect(badParam.error).toMatch(/^websockets: ws\.dump on .*: Kamailio answered error 400: Bad display/);
  });
});
