// The poll cycle on replies captured from the lab and from a Kamailio without our modules (tests/fixtures/rpc),
// through the real RPC client against the replay server: what counts, what is unavailable, what fails one probe
// and what marks the node down.
import { describe, expect, it } from "vitest";
import { ESTIMATE_STATS } from "@/lib/poller/branch-estimate";
import { derivedStatKeys } from "@/lib/poller/measure";
import { probeOf, replayNodePerTest } from "../support/poll-replay";

const rpc = (name: string) => ({ file: `rpc/${name}` });
const start = replayNodePerTest();

/** A Kamailio with only xhttp + jsonrpcs (+ tm, tmx, kex), captured from a private instance. */
const foreign = {
  "core.tcp_list": rpc("core.tcp_list.idle.json"),
  "ws.dump": rpc("ws.dump.module-not-loaded.http-500.json"),
  "ul.dump": rpc("ul.dump.module-not-loaded.http-500.json"),
  "stats.fetch usrloc:": { body: '{"jsonrpc":"2.0","result":{},"id":1}' },
  "ul.db_contacts": null,
  "dlg.stats_active": null,
  "dlg.list": rpc("dlg.list.module-not-loaded.http-500.json"),
  "rtpengine.show all": rpc("rtpengine.show.module-not-loaded.http-500.json"),
  "stats.fetch websocket: dialog: tmx:": rpc("stats.fetch.no-websocket-dialog.json"),
  "cnt.grp_get_all bridge": rpc("cnt.grp_get_all.module-not-loaded.http-500.json"),
  [`stats.fetch ${ESTIMATE_STATS.join(" ")}`]: rpc("stats.fetch.invite-replies.foreign-idle.json"),
};

describe("our gateway (lab captures)", () => {
  it("counts connections, registrations, dialogs and RTPEngines, and joins contacts to their WS/WSS connection", async () => {
    const { snapshot, row } = await (await start()).poll();
    expect(snapshot).toMatchObject({
      up: true,
      ws: 4,
      wss: 4,
      registrations: 5,
      aors: 4,
      dialogsActive: 1,
      dialogsEarly: 1,
      rtpengineUp: 1,
      rtpengineTotal: 1,
    });
    // every probe ok but the handshake, which has no WS/WSS URL set for a replayed node
    expect(snapshot.probes.filter((p) => p.state !== "ok").map((p) => [p.probe, p.state])).toEqual([
      ["handshake", "unavailable"],
    ]);
    expect(snapshot.rtpengines).toEqual([
      {
        url: "udp:127.0.0.1:22222",
        set: 0,
        up: true,
        disabled: false,
        state: "up",
        label: "up",
        recheckSeconds: 0,
        ngAnswered: null,
      },
    ]);
    expect(snapshot.stats?.[derivedStatKeys.registrationsWs]).toBe(3);
    expect(snapshot.stats?.[derivedStatKeys.registrationsWss]).toBe(3);
    expect(snapshot.stats?.[derivedStatKeys.registrationsStaleConnection]).toBe(0);
    // 8 WS/WSS connections, 6 of them carrying a contact (the capture had 2 clients that never registered)
    expect(snapshot.socketsVsRegistrations).toEqual({
      measuredAt: expect.any(String),
      connections: 8,
      withRegistration: 6,
      withoutRegistration: 2,
      shareWithout: 0.25,
      registrationsWithoutConnection: 0,
    });
    expect(snapshot.stats?.["websocket.ws_current_connections"]).toBe(8);
    expect(snapshot.stats?.["tmx.2xx_transactions"]).toBe(3);
    expect(snapshot.branches).toHaveLength(25);
    expect(snapshot.branches?.filter((b) => (b.relayed ?? 0) > 0).map((b) => b.direction)).toEqual([
      "ws_wss",
      "wss_ws",
      "wss_wss",
    ]);
    expect(snapshot.kamailio).toMatchObject({
      version: "5.6.3",
      versionText: "kamailio 5.6.3 (x86_64/linux) ",
    });
    expect(row).toMatchObject({
      wsConnections: 4,
      registrations: 5,
      dialogsActive: 1,
      restarted: false,
      probes: undefined,
    });
  });

  it("an idle node measures zeros: it answered, so zero is a real value there", async () => {
    const { snapshot } = await (
      await start({
        "core.tcp_list": rpc("core.tcp_list.idle.json"),
        "ul.dump": rpc("ul.dump.idle.json"),
        "stats.fetch usrloc:": { file: "field-replies/stats.fetch.usrloc-db-only-mode.json" },
        "dlg.stats_active": rpc("dlg.stats_active.idle.json"),
        "dlg.list": rpc("dlg.list.idle.json"),
      })
    ).poll();
    expect(snapshot).toMatchObject({
      ws: 0,
      wss: 0,
      registrations: 0,
      aors: 0,
      dialogsActive: 0,
      dialogsEarly: 0,
    });
    expect(Object.values(snapshot.readings ?? {}).every((r) => r.state === "ok")).toBe(true);
  });

  it("a contact whose connection is gone counts as stale, not as WS/WSS", async () => {
    const { snapshot } = await (await start({ "core.tcp_list": rpc("core.tcp_list.idle.json") })).poll();
    expect(snapshot.stats?.[derivedStatKeys.registrationsWs]).toBe(0);
    expect(snapshot.stats?.[derivedStatKeys.registrationsStaleConnection]).toBe(6);
    expect(snapshot.socketsVsRegistrations).toMatchObject({
      connections: 0,
      shareWithout: null,
      registrationsWithoutConnection: 6,
    });
  });

  it("a malformed reply fails that probe with the field named; the node and the other numbers stay", async () => {
    const { snapshot } = await (
      await start({
        "core.tcp_list": rpc("core.tcp_list.malformed-truncated.json"),
        "rtpengine.show all": rpc("rtpengine.show.malformed-wrong-type.json"),
      })
    ).poll();
    expect(snapshot).toMatchObject({ up: true, ws: null, wss: null, rtpengineUp: null, registrations: 5 });
    expect(snapshot.readings?.ws.state).toBe("failing");
    expect(probeOf(snapshot, "connections").reason).toMatch(/^core\.tcp_list: reply is not JSON/);
    expect(probeOf(snapshot, "rtpengine").reason).toMatch(/^rtpengine\.show: \[\d+\]\.\w+: /);
  });

  it("the heavy lists run on their own cadence (and the cheap counts every cycle)", async () => {
    const n = await start({}, { heavyIntervalMs: 30_000 });
    const joinedAt = (await n.poll()).snapshot.socketsVsRegistrations?.measuredAt;
    // between two ul.dumps the sockets/registrations join is the last one, with the time it was made
    expect((await n.poll()).snapshot.socketsVsRegistrations?.measuredAt).toBe(joinedAt);
    for (let i = 0; i < 14; i++) await n.poll();
    const count = (method: string) => n.server.calls.filter((c) => c.method === method).length;
    expect(count("core.tcp_list")).toBe(16);
    expect(count("dlg.stats_active")).toBe(16);
    expect(count("ul.dump")).toBe(2);
    expect(count("dlg.list")).toBe(2);
  });
});

describe("a Kamailio without our modules", () => {
  it("is up; the probes it cannot serve are unavailable with Kamailio's answer and their numbers null", async () => {
    const { snapshot, events, row } = await (await start(foreign)).poll();
    expect(snapshot).toMatchObject({
      up: true,
      ws: 0,
      wss: 0,
      registrations: null,
      dialogsActive: null,
      rtpengineUp: null,
    });
    expect(snapshot.unavailable.map((u) => u.probe)).toEqual([
      "websockets",
      "registrations",
      "contacts",
      "dialogs",
      "dialog-list",
      "rtpengine",
      "branches",
      "handshake",
    ]);
    expect(probeOf(snapshot, "rtpengine").reason).toBe(
      "rtpengine.show: Kamailio answered error 500: Method Not Found (module not loaded)",
    );
    expect(snapshot.readings?.registrations.state).toBe("unavailable");
    // no counters: the reply-statistics estimate, labelled; no INVITE replies yet, so too few, not 0 %
    expect(snapshot.branchFailure).toMatchObject({ source: "reply statistics", estimate: true });
    expect(snapshot.branchFailure?.windows.map((w) => w.total.rate)).toEqual([null, null, null]);
    expect(events).toEqual([]);
    expect(row).toMatchObject({ up: true, registrations: null, branchRelayed: null });
  });

  it("a counters group that does not exist (5.6 answers {}) makes branches unavailable, not zero", async () => {
    const { snapshot } = await (
      await start({ "cnt.grp_get_all bridge": rpc("cnt.grp_get_all.no-such-group.json") })
    ).poll();
    expect(snapshot.branches).toBeNull();
    expect(probeOf(snapshot, "branches")).toMatchObject({ state: "unavailable" });
    expect(probeOf(snapshot, "branches").reason).toContain('counters group "bridge" does not exist');
  });
});

describe("what marks the node down, and what does not", () => {
  it("a transport error on one probe (retried once) fails that probe; Kamailio still answers, so the node is up", async () => {
    const n = await start({ "ul.dump": { hangUp: true } });
    const { snapshot, events } = await n.poll();
    expect(snapshot.up).toBe(true);
    expect(probeOf(snapshot, "contacts").state).toBe("failing");
    expect(n.server.calls.filter((c) => c.method === "ul.dump")).toHaveLength(2);
    expect(events.map((e) => e.kind)).toEqual(["probe_failing"]);
  });

  it("a one-off dropped connection is retried and counted, the probe stays ok", async () => {
    const n = await start({ "core.tcp_list": [{ hangUp: true }, rpc("core.tcp_list.clients.json")] });
    const { snapshot } = await n.poll();
    expect(snapshot.ws).toBe(4);
    expect(snapshot.stats?.[derivedStatKeys.rpcRetries]).toBe(1);
  });

  it("an RPC error is not repeated", async () => {
    const n = await start({
      "rtpengine.show all": { file: "field-replies/rtpengine.show.error-404-instance.http" },
    });
    await n.poll();
    expect(n.server.calls.filter((c) => c.method === "rtpengine.show")).toHaveLength(1);
  });

  it("no answer to core.uptime: down, null numbers (not zeros), one node_down, last up values kept", async () => {
    const n = await start();
    const up = await n.poll();
    n.setCoreUptime({ hangUp: true });
    const down = await n.poll();
    const stillDown = await n.poll();
    for (const { snapshot } of [down, stillDown]) {
      expect(snapshot).toMatchObject({ up: false, ws: null, registrations: null, readings: null });
      expect(snapshot.error).toContain("core.uptime");
      expect(snapshot.lastUp).toEqual(up.snapshot.lastUp);
    }
    expect(n.events.map((e) => e.kind)).toEqual(["node_down"]);
  });

  it("Kamailio dying mid-cycle (core.uptime answered, then silence) reads down, not as a row of failing probes", async () => {
    const n = await start({
      "core.uptime": [rpc("core.uptime.lab.json"), { hangUp: true }],
      "core.tcp_list": { hangUp: true },
    });
    const { snapshot, events } = await n.poll();
    expect(snapshot.up).toBe(false);
    expect(events.map((e) => e.kind)).toEqual(["node_down"]);
  });

  it("a server that is not Kamailio's JSON-RPC (HTML 404, or no core.uptime) is down", async () => {
    const html = await (
      await start({ "core.uptime": rpc("error.html-page.malformed-http-404.html") })
    ).poll();
    expect(html.snapshot.up).toBe(false);
    const noUptime = await (await start({ "core.uptime": null })).poll();
    expect(noUptime.snapshot).toMatchObject({ up: false });
    expect(noUptime.snapshot.error).toContain("Method Not Found");
  });
});
