// What a correct dashboard shows for each reply real Kamailio versions give in the field
// (tests/fixtures/field-replies/README.md), asserted through the whole pipeline: the real RPC client against a
// local server replaying the captured bytes, the probes, the checks, the snapshot, the Sample row and the events.
import { describe, expect, it } from "vitest";
import { callDurationSeconds } from "@/lib/kamailio/methods/dlg-list";
import { probeOf, replayNodePerTest } from "../support/poll-replay";

const fr = (name: string) => ({ file: `field-replies/${name}` });
const start = replayNodePerTest();

describe("rtpengine.show in the 5.x and 6.x shapes", () => {
  for (const file of ["rtpengine.show.5x-states.json", "rtpengine.show.6x-states.json"]) {
    it(`${file}: 3 instances, 1 up, the others unreachable (retry in 42 s) and disabled (permanent)`, async () => {
      const n = await start({ "rtpengine.show all": fr(file) });
      const { snapshot, row } = await n.poll();
      expect(snapshot).toMatchObject({ up: true, rtpengineTotal: 3, rtpengineUp: 1 });
      expect(snapshot.rtpengines?.map((e) => [e.url, e.state, e.label, e.up])).toEqual([
        ["udp:127.0.0.1:2223", "up", "up", true],
        ["udp:127.0.0.2:2223", "unreachable", "unreachable, retry in 42 s", false],
        ["udp:127.0.0.3:2223", "disabled", "disabled (permanent)", false],
      ]);
      expect(row).toMatchObject({ rtpengineUp: 1, rtpengineTotal: 3 });
    });
  }
});

describe("one method's error leaves the node up", () => {
  it("rtpengine.show 404 Instance not found: node up, other numbers flow, the RTPEngine figure says why", async () => {
    const n = await start({ "rtpengine.show all": fr("rtpengine.show.error-404-instance.http") });
    const { snapshot, row, events } = await n.poll();
    expect(snapshot).toMatchObject({
      up: true,
      error: null,
      ws: 4,
      wss: 4,
      registrations: 5,
      dialogsActive: 1,
    });
    expect(snapshot.rtpengineUp).toBeNull();
    expect(snapshot.readings?.rtpengineUp).toMatchObject({ state: "failing" });
    expect(probeOf(snapshot, "rtpengine")).toMatchObject({ state: "failing", failures: 1 });
    expect(probeOf(snapshot, "rtpengine").reason).toContain("Instance not found");
    expect(row).toMatchObject({ up: true, wsConnections: 4, rtpengineUp: null });
    expect(events.map((e) => [e.kind, e.severity])).toEqual([["probe_failing", "warning"]]);
  });

  it("a failing probe keeps its last good value greyed (stale) with its age, fires one event, backs off, recovers", async () => {
    const n = await start();
    expect((await n.poll()).snapshot.rtpengineUp).toBe(1);
    n.server.set("rtpengine.show all", fr("rtpengine.show.error-404-instance.http"));
    const failing = await n.poll();
    expect(failing.snapshot.rtpengineUp).toBe(1);
    expect(failing.snapshot.readings?.rtpengineUp).toMatchObject({
      state: "stale",
      measuredAt: "2026-07-08T09:00:02.000Z",
    });
    expect(failing.row.rtpengineUp).toBeNull(); // the repeated value is shown, never stored as a new measurement
    for (let i = 0; i < 4; i++) await n.poll();
    const calls = () => n.server.calls.filter((c) => c.method === "rtpengine.show").length;
    const before = calls();
    for (let i = 0; i < 4; i++) await n.poll();
    expect(calls() - before).toBeLessThan(4); // backing off, not asked every cycle
    expect(n.events.filter((e) => e.kind === "probe_failing")).toHaveLength(1);
    n.server.set("rtpengine.show all", { file: "rpc/rtpengine.show.all-up.json" });
    let recovered = await n.poll();
    for (let i = 0; i < 20 && probeOf(recovered.snapshot, "rtpengine").state !== "ok"; i++)
      recovered = await n.poll();
    expect(probeOf(recovered.snapshot, "rtpengine")).toMatchObject({ state: "ok", failures: 0 });
    expect(n.events.filter((e) => e.kind === "probe_recovered")).toHaveLength(1);
    expect(n.events.some((e) => e.kind === "node_down")).toBe(false);
  });

  it("rtpengine.show 500 Initializing: a short 'starting' state, no event, retried next cycle, failing after its grace", async () => {
    const n = await start({ "rtpengine.show all": fr("rtpengine.show.error-500-initializing.http") });
    const first = await n.poll();
    expect(first.snapshot.up).toBe(true);
    expect(probeOf(first.snapshot, "rtpengine")).toMatchObject({ state: "starting" });
    expect(first.snapshot.readings?.rtpengineTotal.state).toBe("starting");
    expect(first.events).toEqual([]);
    const asked = n.server.calls.filter((c) => c.method === "rtpengine.show").length;
    await n.poll();
    expect(n.server.calls.filter((c) => c.method === "rtpengine.show").length).toBe(asked + 1);
    let later = await n.poll(61_000);
    expect(probeOf(later.snapshot, "rtpengine").state).toBe("failing");
    expect(later.events.map((e) => e.kind)).toEqual(["probe_failing"]);
    later = await n.poll();
    expect(later.events).toEqual([]);
  });

  it("ul.dump 500 internal error: node up, registrations still counted from usrloc statistics, contacts failing", async () => {
    const n = await start({ "ul.dump": fr("ul.dump.error-500-internal.http") });
    const { snapshot, events } = await n.poll();
    expect(snapshot).toMatchObject({ up: true, registrations: 5, aors: 4 });
    expect(snapshot.readings?.registrations).toMatchObject({ state: "ok", source: "stats.fetch usrloc" });
    expect(probeOf(snapshot, "contacts")).toMatchObject({ state: "failing" });
    expect(probeOf(snapshot, "contacts").reason).toContain("Internal error creating aor struct");
    expect(events.map((e) => e.kind)).toEqual(["probe_failing"]);
  });

  it("a ul.dump over the heavy reply budget fails only the contacts probe, with the budget as the reason", async () => {
    const n = await start({}, { heavyMaxReplyBytes: 2048 });
    const { snapshot } = await n.poll();
    expect(snapshot).toMatchObject({ up: true, registrations: 5 });
    expect(probeOf(snapshot, "contacts").reason).toMatch(
      /ul\.dump: reply larger than the 2048-byte limit \(heavy reply budget\)/,
    );
    expect(probeOf(snapshot, "dialog-list").state).toBe("ok");
  });
});

describe("usrloc in DB-only mode (db_mode 3)", () => {
  const dbOnly = {
    "ul.dump": fr("ul.dump.db-only-mode.json"),
    "stats.fetch usrloc:": fr("stats.fetch.usrloc-db-only-mode.json"),
    "ul.db_contacts": { file: "rpc/ul.db_contacts.db-only.http-500.json" },
  };

  it("never 0 registrations on a node holding WS/WSS connections: unavailable, with the reason", async () => {
    const n = await start(dbOnly);
    const { snapshot, row } = await n.poll();
    expect(snapshot).toMatchObject({ up: true, ws: 4, wss: 4, registrations: null, aors: null });
    expect(snapshot.readings?.registrations.state).toBe("unavailable");
    expect(snapshot.readings?.registrations.reason).toContain("usrloc keeps contacts in the database");
    expect(row.registrations).toBeNull();
    expect(snapshot.stats?.["kamdash.registrations_ws"]).toBeUndefined();
    expect(snapshot.socketsVsRegistrations).toBeNull(); // an empty ul.dump here says nothing about the sockets
  });

  it("counts from ul.db_contacts where the database answers it (MySQL)", async () => {
    const n = await start({
      ...dbOnly,
      "ul.db_contacts": { file: "rpc/ul.db_contacts.db-only-pg-shim.json" },
    });
    const { snapshot } = await n.poll();
    expect(snapshot.registrations).toBe(5);
    expect(snapshot.readings?.registrations).toMatchObject({ state: "ok", source: "ul.db_contacts" });
  });

  it("usrloc in memory (db_mode 0) with nobody registered: 0 is true and shown", async () => {
    const n = await start({
      "stats.fetch usrloc:": fr("stats.fetch.usrloc-db-only-mode.json"),
      "ul.db_contacts": { file: "rpc/ul.db_contacts.db-mode-0.http-500.json" },
    });
    const { snapshot } = await n.poll();
    expect(snapshot.registrations).toBe(0);
    expect(snapshot.readings?.registrations.state).toBe("ok");
  });
});

describe("impossible values are never published or stored", () => {
  it("a wrapped gauge (early_dialogs 9223372036854776000) is rejected; dialogs come from dlg.stats_active", async () => {
    const n = await start({
      "stats.fetch websocket: dialog: tmx:": fr("stats.fetch.dialog-wrapped-gauge.json"),
    });
    const { snapshot, row } = await n.poll();
    expect(snapshot.stats?.["dialog.early_dialogs"]).toBeUndefined();
    expect(snapshot.stats?.["dialog.active_dialogs"]).toBe(77);
    expect(snapshot.rejected).toEqual([
      expect.objectContaining({ field: "dialog.early_dialogs", value: "9223372036854776000" }),
    ]);
    expect(snapshot).toMatchObject({ dialogsActive: 1, dialogsEarly: 1 });
    expect(snapshot.readings?.dialogsEarly.source).toBe("dlg.stats_active");
    expect(row.rejected).toEqual(snapshot.rejected);
    expect(JSON.stringify(snapshot)).not.toContain("9223372036854776000,");
  });

  it("a cnt.* counter past 2^31 prints negative: null with the reason on first sight, unwrapped after a sample", async () => {
    const wrapped = fr("cnt.grp_get_all.bridge-32bit-wrap.json");
    const first = await (await start({ "cnt.grp_get_all bridge": wrapped })).poll();
    const direction = (s: typeof first.snapshot) => s.branches?.find((b) => b.direction === "wss_udp");
    expect(direction(first.snapshot)).toEqual({ direction: "wss_udp", relayed: null, failed: 2100000 });
    expect(first.snapshot.rejected[0]).toMatchObject({ field: "cnt.wss_udp_relayed", value: "-1294967296" });
    expect(first.row.branchRelayed).toBeNull(); // no partial sum stored as the total

    const before =
      '{"jsonrpc":"2.0","result":{"udp_wss_failed":3,"udp_wss_relayed":1200,"wss_udp_failed":2099990,"wss_udp_relayed":2147483000},"id":1}';
    const n = await start({ "cnt.grp_get_all bridge": [{ body: before }, wrapped] });
    await n.poll();
    const after = await n.poll();
    expect(direction(after.snapshot)).toEqual({
      direction: "wss_udp",
      relayed: 3_000_000_000,
      failed: 2_100_000,
    });
    expect(after.snapshot.rejected).toEqual([]);
    expect(after.row.branchRelayed).toBe(3_000_001_200n);
  });
});

describe("Kamailio before 5.6 and restarts", () => {
  it("dlg.list without duration: 1 active call of 2 min 05 s from start_ts, 1 ringing, the ended one not counted", async () => {
    const n = await start({ "dlg.stats_active": null, "dlg.list": fr("dlg.list.5.5-no-duration.json") });
    const { snapshot } = await n.poll();
    expect(snapshot).toMatchObject({ dialogsActive: 1, dialogsEarly: 1 });
    expect(snapshot.readings?.dialogsActive.source).toBe("dlg.list");
    const client = (await import("@/lib/kamailio/client")).createKamailioClient({ url: n.server.url });
    const dialogs = await client.dlgList();
    expect(dialogs.map((d) => callDurationSeconds(d, 1783494383))).toEqual([125, null, null]);
  });

  it("core.uptime: uptime in seconds (366); a drop is one node_restarted event, the sample marked, counters forgotten", async () => {
    const restarted =
      '{"jsonrpc":"2.0","result":{"now":"Wed Jul  8 09:07:00 2026","up_since":"Wed Jul  8 09:06:58 2026","uptime":2},"id":1}';
    const n = await start({
      "core.uptime": [fr("core.uptime.5.7.json"), fr("core.uptime.5.7.json"), { body: restarted }],
    });
    const first = await n.poll();
    expect(first.snapshot.kamailio).toMatchObject({ uptimeS: 366, version: "5.6.3", restartedAt: null });
    expect(first.row).toMatchObject({ kamailioUptimeS: 366, restarted: false });
    const versionCalls = () => n.server.calls.filter((c) => c.method === "core.version").length;
    expect(versionCalls()).toBe(1);
    await n.poll(); // same start time (uptime did not move while our clock did): no restart
    const after = await n.poll();
    expect(after.events.map((e) => e.kind)).toEqual(["node_restarted"]);
    expect(after.row).toMatchObject({ restarted: true, kamailioUptimeS: 2 });
    expect(after.snapshot.kamailio?.restartedAt).toBe(after.snapshot.polledAt);
    expect(versionCalls()).toBe(2); // read again after the restart
    const next = await n.poll();
    expect(next.events).toEqual([]);
    expect(n.events.filter((e) => e.kind === "node_restarted")).toHaveLength(1);
  });
});
