import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KamailioRpcError, type KamailioRpcErrorKind } from "@/lib/kamailio/errors";
import { parseCntGrpGetAll } from "@/lib/kamailio/methods/cnt-grp-get-all";
import { parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { parseRtpengineShow } from "@/lib/kamailio/methods/rtpengine-show";
import { parseStatsFetch } from "@/lib/kamailio/methods/stats-fetch";
import { parseUlDump } from "@/lib/kamailio/methods/ul-dump";
import { parseWsDump } from "@/lib/kamailio/methods/ws-dump";
import { collectProbes } from "./collect";
import { derivedStatKeys, measure } from "./measure";
import { ProbeError, type ProbeRpc } from "./probes/types";
import { buildUpNodeSnapshot, NodeSnapshotSchema } from "./snapshot";

// Snapshot building from replies captured from the lab (tests/fixtures/rpc, written by the RPC helper):
// 4 WS + 4 WSS clients, 6 of them registered under 4 AORs, one confirmed and one early dialog.

const fixturesDir = path.resolve(import.meta.dirname, "../../tests/fixtures/rpc");
const reply = (file: string): unknown =>
  (JSON.parse(readFileSync(path.join(fixturesDir, file), "utf8")) as { result: unknown }).result;

function fixtureRpc(files: Partial<Record<keyof ProbeRpc, string>> = {}): ProbeRpc {
  const f = {
    tcpList: "core.tcp_list.clients.json",
    wsDump: "ws.dump.clients.json",
    ulDump: "ul.dump.registered.json",
    dlgList: "dlg.list.calls.json",
    rtpengineShowAll: "rtpengine.show.all-up.json",
    statsFetch: "stats.fetch.calls.json",
    cntGrpGetAll: "cnt.grp_get_all.bridge-calls.json",
    ...files,
  };
  return {
    tcpList: async () => parseCoreTcpList(reply(f.tcpList)),
    wsDump: async () => parseWsDump(reply(f.wsDump)),
    ulDump: async () => parseUlDump(reply(f.ulDump)),
    dlgList: async () => parseDlgList(reply(f.dlgList)),
    rtpengineShowAll: async () => parseRtpengineShow(reply(f.rtpengineShowAll)),
    statsFetch: async () => parseStatsFetch(reply(f.statsFetch)),
    cntGrpGetAll: async () => parseCntGrpGetAll(reply(f.cntGrpGetAll)),
  };
}

describe("measure (captured lab replies)", () => {
  it("counts connections by type, joins registrations to them, counts dialogs and RTPEngines", async () => {
    const m = measure(await collectProbes({ rpc: fixtureRpc() }));
    expect(m).toMatchObject({
      ws: 4,
      wss: 4,
      registrations: 6,
      aors: 4,
      dialogsActive: 1,
      dialogsEarly: 1,
      rtpengineUp: 1,
      rtpengineTotal: 1,
    });
    expect(m.rtpengines).toEqual([{ url: "udp:127.0.0.1:22222", set: 0, up: true, disabled: false }]);
    expect(m.stats[derivedStatKeys.registrationsWs]).toBe(3);
    expect(m.stats[derivedStatKeys.registrationsWss]).toBe(3);
    expect(m.stats[derivedStatKeys.registrationsStaleConnection]).toBe(0);
    expect(m.stats["websocket.ws_current_connections"]).toBe(8);
    expect(m.stats["dialog.active_dialogs"]).toBe(1);
    expect(m.stats["tmx.2xx_transactions"]).toBe(3);
    expect(m.branches).toHaveLength(25);
    expect(m.branches?.filter((b) => b.relayed > 0).map((b) => b.direction)).toEqual([
      "ws_wss",
      "wss_ws",
      "wss_wss",
    ]);

    const snapshot = buildUpNodeSnapshot(
      { name: "lab", rpcUrl: "http://127.0.0.1:5080/RPC", intervalMs: 2000 },
      { polledAt: new Date("2026-01-01T00:00:00Z"), durationMs: 3 },
      m,
    );
    expect(NodeSnapshotSchema.parse(snapshot)).toEqual(snapshot);
  });

  it("an idle node measures zeros (it answered: zero is a real value there)", async () => {
    const rpc = fixtureRpc({
      tcpList: "core.tcp_list.idle.json",
      wsDump: "ws.dump.idle.json",
      ulDump: "ul.dump.idle.json",
      dlgList: "dlg.list.idle.json",
      statsFetch: "stats.fetch.idle.json",
      cntGrpGetAll: "cnt.grp_get_all.bridge-idle.json",
    });
    const m = measure(await collectProbes({ rpc }, "sequential"));
    expect(m).toMatchObject({ ws: 0, wss: 0, registrations: 0, aors: 0, dialogsActive: 0, dialogsEarly: 0 });
  });

  it("a malformed reply fails the cycle with the probe and the field named", async () => {
    const rpc = fixtureRpc({ dlgList: "dlg.list.malformed-wrong-type.json" });
    const failure = await collectProbes({ rpc }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProbeError);
    expect((failure as ProbeError).probe).toBe("dialogs");
    expect((failure as Error).message).toMatch(/^dialogs: dlg\.list: \[\d+\]\./);
  });

  it("a contact whose connection is gone counts as stale, not as WS/WSS", async () => {
    const rpc = fixtureRpc({ tcpList: "core.tcp_list.idle.json" });
    const m = measure(await collectProbes({ rpc }));
    expect(m.registrations).toBe(6);
    expect(m.stats[derivedStatKeys.registrationsStaleConnection]).toBe(6);
    expect(m.stats[derivedStatKeys.registrationsWs]).toBe(0);
  });
});

describe("collectProbes retries", () => {
  const failing = (kind: KamailioRpcErrorKind, times: number): ProbeRpc => {
    const rpc = fixtureRpc();
    let left = times;
    const statsFetch = rpc.statsFetch;
    return {
      ...rpc,
      statsFetch: async (groups) => {
        if (left-- > 0) {
          throw new KamailioRpcError({
            kind,
            method: "stats.fetch",
            nodeUrl: "http://x/RPC",
            detail: "boom",
          });
        }
        return statsFetch(groups);
      },
    };
  };

  it("repeats a probe once after a network error and counts it", async () => {
    const results = await collectProbes({ rpc: failing("network", 1) });
    expect(results.retries).toBe(1);
    expect(measure(results).stats[derivedStatKeys.rpcRetries]).toBe(1);
  });

  it("gives up after the second network error", async () => {
    await expect(collectProbes({ rpc: failing("network", 2) })).rejects.toThrow(/^stats: stats\.fetch/);
  });

  it("does not repeat RPC errors or timeouts", async () => {
    await expect(collectProbes({ rpc: failing("rpc", 1) })).rejects.toBeInstanceOf(ProbeError);
    await expect(collectProbes({ rpc: failing("timeout", 1) }, "sequential")).rejects.toBeInstanceOf(
      ProbeError,
    );
  });
});
