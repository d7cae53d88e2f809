// Parsers for dialogs, media servers, statistics, counters and core info, on replies captured from the lab.
import { describe, expect, it } from "vitest";
import { parseBridgeCounters, parseCntGrpGetAll } from "@/lib/kamailio/methods/cnt-grp-get-all";
import { parseCoreUptime } from "@/lib/kamailio/methods/core-uptime";
import { parseCoreVersion } from "@/lib/kamailio/methods/core-version";
import { countDialogsByState, parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { parseRtpengineShow } from "@/lib/kamailio/methods/rtpengine-show";
import {
  getStat,
  getStatsGroup,
  parseStatNumber,
  parseStatsFetch,
  statsFetchParams,
} from "@/lib/kamailio/methods/stats-fetch";
import { FIXTURE_NODE, fixtureResult } from "./rpc-fixtures";

const dialogs = (name: string) => parseDlgList(fixtureResult(name, "dlg.list"), FIXTURE_NODE);
const engines = (name: string) => parseRtpengineShow(fixtureResult(name, "rtpengine.show"), FIXTURE_NODE);
const stats = (name: string) => parseStatsFetch(fixtureResult(name, "stats.fetch"), FIXTURE_NODE);
const bridge = (name: string) =>
  parseBridgeCounters(parseCntGrpGetAll(fixtureResult(name, "cnt.grp_get_all")));

describe("dlg.list", () => {
  it("idle: no dialogs", () => {
    expect(dialogs("dlg.list.idle.json")).toEqual([]);
  });

  it("calls: one confirmed WSS→WS call and one early WS→WSS call", () => {
    const list = dialogs("dlg.list.calls.json");
    expect(countDialogsByState(list)).toEqual({
      unconfirmed: 0,
      early: 1,
      confirmed_no_ack: 0,
      confirmed: 1,
      deleted: 0,
    });
    const confirmed = list.find((d) => d.state === "confirmed");
    expect(confirmed).toMatchObject({
      hEntry: 678,
      hId: 10628,
      callId: "d6b472bc17cdea9f@kamdash",
      fromUri: "sip:1045@127.0.0.1",
      toUri: "sip:1048@127.0.0.1",
      stateCode: 4,
      startTs: 1795692127,
      timeoutTs: 1795702927,
      lifetimeSeconds: 10800,
    });
    expect(confirmed?.caller.socket).toBe("tls:127.0.0.1:8443");
    expect(confirmed?.callee.socket).toBe("tcp:127.0.0.1:8080");
    expect(confirmed?.caller.contact).toBe(
      "sip:1045@503fe5156e.invalid;transport=wss;alias=127.0.0.1~44400~6",
    );
  });

  it("an early dialog has no callee leg yet (nulls)", () => {
    const early = dialogs("dlg.list.calls.json").find((d) => d.state === "early");
    expect(early?.startTs).toBe(0);
    expect(early?.caller.socket).toBe("tcp:127.0.0.1:8080");
    expect(early?.callee).toEqual({ tag: null, contact: null, cseq: null, routeSet: null, socket: null });
  });

  it("after BYE/CANCEL the dialogs are still listed, as deleted", () => {
    expect(dialogs("dlg.list.after-bye.json").map((d) => [d.callId, d.state])).toEqual([
      ["d6b472bc17cdea9f@kamdash", "deleted"],
      ["8557c7d9ec09ecb6@kamdash", "deleted"],
    ]);
  });
});

describe("rtpengine.show all", () => {
  it("5.6, lab: the one RTPEngine is up", () => {
    expect(engines("rtpengine.show.all-up.json")).toEqual([
      {
        url: "udp:127.0.0.1:22222",
        set: 0,
        index: 0,
        weight: 1,
        disabled: false,
        permanent: false,
        up: true,
        recheckTicks: 0,
        shape: "5.x",
        state: "up",
      },
    ]);
  });

  // Captured from a private Kamailio 5.6.3 in a network namespace: one engine disabled with
  // `rtpengine.enable <url> 0`, one pointing at a port nobody listens on.
  it('5.6: "1(permanent)"/"N/A" and a failed engine waiting for its re-check', () => {
    const [manual, failed] = engines("rtpengine.show.private-permanent-and-failed.json");
    expect(manual).toMatchObject({
      url: "udp:127.0.0.1:22222",
      disabled: true,
      permanent: true,
      up: false,
      recheckTicks: null,
    });
    expect(failed).toMatchObject({
      url: "udp:127.0.0.1:22299",
      disabled: true,
      permanent: false,
      up: false,
      recheckTicks: 58,
    });
  });

  it("6.x shape (DERIVED from the 6.x source, not captured) normalizes to the same type", () => {
    const list = engines("rtpengine.show.derived-6x.json");
    expect(list.map((e) => [e.url, e.up, e.disabled, e.permanent, e.recheckTicks, e.shape])).toEqual([
      ["udp:127.0.0.1:22222", true, false, false, 0, "6.x"],
      ["udp:127.0.0.1:22232", false, true, true, null, "6.x"],
      ["udp:127.0.0.1:22242", false, true, false, 57, "6.x"],
    ]);
  });
});

describe("stats.fetch", () => {
  it("asks for whole groups", () => {
    expect(statsFetchParams(["websocket", "dialog:", "tmx"])).toEqual(["websocket:", "dialog:", "tmx:"]);
    expect(statsFetchParams([])).toEqual(["all"]);
    expect(statsFetchParams(["dialog.active_dialogs"])).toEqual(["dialog.active_dialogs"]);
  });

  it("calls: values are decimal strings, read as numbers per group", () => {
    const map = stats("stats.fetch.calls.json");
    expect(map["dialog.active_dialogs"]).toBe("1");
    expect(getStat(map, "dialog.active_dialogs")).toBe(1);
    expect(getStat(map, "dialog.early_dialogs")).toBe(1);
    expect(getStat(map, "no.such_stat")).toBeNull();
    expect(getStatsGroup(map, "dialog")).toEqual({
      active_dialogs: 1,
      early_dialogs: 1,
      expired_dialogs: 0,
      failed_dialogs: 0,
      processed_dialogs: 3,
    });
    expect(getStatsGroup(map, "websocket").ws_current_connections).toBe(8);
    expect(getStatsGroup(map, "tmx").UAS_transactions).toBe(4);
    expect(Object.keys(map)).toHaveLength(44);
  });

  it("all: every group", () => {
    const groups = new Set(Object.keys(stats("stats.fetch.all.json")).map((key) => key.split(".")[0]));
    expect([...groups].sort()).toEqual(
      [
        "bridge",
        "core",
        "dialog",
        "dns",
        "registrar",
        "shmem",
        "sl",
        "tcp",
        "tmx",
        "usrloc",
        "websocket",
      ].sort(),
    );
  });

  it("idle: zero dialogs and WebSocket connections", () => {
    const map = stats("stats.fetch.idle.json");
    expect(getStat(map, "dialog.active_dialogs")).toBe(0);
    expect(getStat(map, "websocket.ws_current_connections")).toBe(0);
  });

  it("reads only plain decimal numbers", () => {
    expect(parseStatNumber("12")).toBe(12);
    expect(parseStatNumber("0.5")).toBe(0.5);
    expect(parseStatNumber("")).toBeNull();
    expect(parseStatNumber("12abc")).toBeNull();
    expect(parseStatNumber("Infinity")).toBeNull();
    expect(parseStatNumber(undefined)).toBeNull();
  });
});

describe("cnt.grp_get_all bridge", () => {
  it("gives all 25 directions with relayed/failed", () => {
    const directions = bridge("cnt.grp_get_all.bridge-calls.json");
    expect(directions).toHaveLength(25);
    expect(directions.find((d) => d.direction === "wss_ws")).toEqual({
      direction: "wss_ws",
      from: "wss",
      to: "ws",
      relayed: 1,
      failed: 0,
    });
    // The CANCELled ws→wss call counts as relayed, and a 487 is not a failure.
    expect(
      bridge("cnt.grp_get_all.bridge-after-calls.json").find((d) => d.direction === "ws_wss"),
    ).toMatchObject({
      relayed: 1,
      failed: 0,
    });
  });

  it("ignores names outside the <from>_<to>_<relayed|failed> scheme", () => {
    expect(parseBridgeCounters({ ws_udp_relayed: 3, ws_udp_failed: 1, other: 9, ws_xyz_failed: 2 })).toEqual([
      { direction: "ws_udp", from: "ws", to: "udp", relayed: 3, failed: 1 },
    ]);
  });
});

describe("core", () => {
  it("core.version", () => {
    expect(parseCoreVersion(fixtureResult("core.version.lab.json", "core.version"))).toEqual({
      raw: "kamailio 5.6.3 (x86_64/linux) ",
      version: "5.6.3",
      major: 5,
      minor: 6,
    });
  });

  it("core.uptime", () => {
    expect(parseCoreUptime(fixtureResult("core.uptime.lab.json", "core.uptime"))).toEqual({
      uptimeSeconds: 14,
      now: "Thu Nov 26 11:22:07 2026",
      upSince: "Thu Nov 26 11:21:53 2026",
    });
  });
});
