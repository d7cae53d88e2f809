// Replies real Kamailio versions give in the field (tests/fixtures/field-replies, see its README), read by the REAL
// client over HTTP from a local replay server. Only RPC-level facts are asserted here; what the dashboard makes
// of them (instances up, "not 0 registrations", unwrapped counters…) is the poller's business.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKamailioClient } from "@/lib/kamailio/client";
import { isMethodNotFound, KamailioRpcError } from "@/lib/kamailio/errors";
import type { RtpengineNode } from "@/lib/kamailio/methods/rtpengine-show";
import { type ReplayKamailio, startReplayKamailio } from "../support/replay-kamailio";

const FIELD = "field-replies";
let kamailio: ReplayKamailio;

beforeAll(async () => {
  kamailio = await startReplayKamailio({
    "core.uptime": { file: `${FIELD}/core.uptime.5.7.json` },
    "dlg.list": { file: `${FIELD}/dlg.list.5.5-no-duration.json` },
    "cnt.grp_get_all bridge": { file: `${FIELD}/cnt.grp_get_all.bridge-32bit-wrap.json` },
    "stats.fetch usrloc:": { file: `${FIELD}/stats.fetch.usrloc-db-only-mode.json` },
    "stats.fetch dialog:": { file: `${FIELD}/stats.fetch.dialog-wrapped-gauge.json` },
    "ul.dump": { file: `${FIELD}/ul.dump.db-only-mode.json` },
  });
});

afterAll(async () => {
  await kamailio.close();
});

function client(timeoutMs = 2_000) {
  return createKamailioClient({ url: kamailio.url, timeoutMs });
}

async function failure(promise: Promise<unknown>): Promise<KamailioRpcError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KamailioRpcError);
    return error as KamailioRpcError;
  }
  throw new Error("expected the call to fail");
}

/** The fields of one RTPEngine instance the tests pin down. Extend here when RtpengineNode grows. */
function instance(node: RtpengineNode) {
  return {
    url: node.url,
    set: node.set,
    up: node.up,
    disabled: node.disabled,
    permanent: node.permanent,
    recheckTicks: node.recheckTicks,
    // STATE: once the rtpengine normalisation with per-instance states is in, add it here (e.g.
    // `state: describeRtpengineState(node)`) and the expected "up" / "unreachable, retry in 42 s" /
    // "disabled (permanent)" to THREE_INSTANCES below.
  };
}

/** Both reply shapes describe the same three servers (README: "the same answer as above"). */
const THREE_INSTANCES = [
  { url: "udp:127.0.0.1:2223", set: 0, up: true, disabled: false, permanent: false, recheckTicks: 0 },
  { url: "udp:127.0.0.2:2223", set: 0, up: false, disabled: true, permanent: false, recheckTicks: 42 },
  { url: "udp:127.0.0.3:2223", set: 1, up: false, disabled: true, permanent: true, recheckTicks: null },
];

describe("field replies through the real client", () => {
  it("rtpengine.show 5.x: a mixed int/string `disabled` array parses into three instances", async () => {
    kamailio.set("rtpengine.show all", { file: `${FIELD}/rtpengine.show.5x-states.json` });
    const nodes = await client().rtpengineShowAll();
    expect(nodes.map(instance)).toEqual(THREE_INSTANCES);
    expect(nodes.map((n) => n.shape)).toEqual(["5.x", "5.x", "5.x"]);
    expect(nodes.filter((n) => n.up)).toHaveLength(1);
    expect(kamailio.calls.at(-1)).toEqual({ method: "rtpengine.show", params: ["all"] });
  });

  it("rtpengine.show 6.x: health comes from `active`, so disabled:false + active:false is not up", async () => {
    kamailio.set("rtpengine.show all", { file: `${FIELD}/rtpengine.show.6x-states.json` });
    const nodes = await client().rtpengineShowAll();
    expect(nodes.map(instance)).toEqual(THREE_INSTANCES);
    expect(nodes.map((n) => n.shape)).toEqual(["6.x", "6.x", "6.x"]);
  });

  it.each([
    ["rtpengine.show.error-404-instance.http", 404, "Instance not found"],
    ["rtpengine.show.error-500-initializing.http", 500, "Initializing - try later"],
  ])("rtpengine.show %s is an RPC error, not a dead node", async (file, code, message) => {
    kamailio.set("rtpengine.show all", { file: `${FIELD}/${file}` });
    const error = await failure(client().rtpengineShowAll());
    expect(error).toMatchObject({ kind: "rpc", rpcCode: code, rpcMessage: message, status: code });
    expect(error.method).toBe("rtpengine.show");
    expect(isMethodNotFound(error)).toBe(false);
  });

  it("ul.dump internal error (HTTP 500 with a JSON-RPC error) is an RPC error", async () => {
    kamailio.set("ul.dump", { file: `${FIELD}/ul.dump.error-500-internal.http` });
    try {
      const error = await failure(client().ulDump());
      expect(error).toMatchObject({
        kind: "rpc",
        rpcCode: 500,
        rpcMessage: "Internal error creating aor struct",
        status: 500,
        method: "ul.dump",
      });
      expect(isMethodNotFound(error)).toBe(false);
    } finally {
      kamailio.set("ul.dump", { file: `${FIELD}/ul.dump.db-only-mode.json` });
    }
  });

  it("ul.dump in usrloc db_mode=3: one domain `location`, no AORs (the RPC really says empty)", async () => {
    await expect(client().ulDump()).resolves.toEqual([
      { domain: "location", size: 1024, records: 0, aors: [] },
    ]);
  });

  it("stats.fetch usrloc in db_mode=3: the four usrloc values are the string 0", async () => {
    await expect(client().statsFetch(["usrloc"])).resolves.toEqual({
      "usrloc.location_contacts": "0",
      "usrloc.location_expires": "0",
      "usrloc.location_users": "0",
      "usrloc.registered_users": "0",
    });
    expect(kamailio.calls.at(-1)).toEqual({ method: "stats.fetch", params: ["usrloc:"] });
  });

  it("stats.fetch dialog: a wrapped gauge reaches us as the raw string, intact", async () => {
    const stats = await client().statsFetch(["dialog"]);
    expect(stats["dialog.early_dialogs"]).toBe("9223372036854776000");
    expect(stats["dialog.active_dialogs"]).toBe("77");
  });

  it("cnt.grp_get_all bridge: a counter past 2^31 arrives as printed by Kamailio (negative)", async () => {
    const counters = await client().cntGrpGetAll("bridge");
    expect(counters).toEqual({
      udp_wss_failed: 3,
      udp_wss_relayed: 1200,
      wss_udp_failed: 2_100_000,
      wss_udp_relayed: -1_294_967_296, // really 3,000,000,000: unwrapping needs the previous sample (poller)
    });
  });

  it("dlg.list before 5.6: three dialogs without `duration`, the early one with start_ts 0", async () => {
    const dialogs = await client().dlgList();
    expect(dialogs.map((d) => [d.callId, d.state, d.startTs, d.endTs])).toEqual([
      ["5f1c2a9e7b3d4c01@192.0.2.10", "confirmed", 1783494258, 0],
      ["0c9d1e77ab52@192.0.2.12", "early", 0, 0],
      ["e4a0b3c2d1@192.0.2.13", "deleted", 1783494083, 1783494381],
    ]);
    for (const dialog of dialogs) expect(dialog).not.toHaveProperty("duration");
  });

  it("core.uptime 5.7: uptime in seconds, local-time strings kept as text", async () => {
    await expect(client().coreUptime()).resolves.toEqual({
      uptimeSeconds: 366,
      now: "Wed Jul  8 09:06:23 2026",
      upSince: "Wed Jul  8 09:00:17 2026",
    });
  });

  it("a string with bytes that are not UTF-8 is read with U+FFFD, not rejected", async () => {
    const captured = readFileSync(
      path.resolve(import.meta.dirname, "../fixtures/rpc/ul.dump.registered.json"),
    );
    const userAgent = Buffer.from('"User-Agent":"kamdash-capture/1.0 (ws)"');
    const at = captured.indexOf(userAgent);
    expect(at).toBeGreaterThan(0);
    const raw = Buffer.concat([
      captured.subarray(0, at),
      Buffer.from('"User-Agent":"Caf'),
      Buffer.from([0xe9]), // "é" in Latin-1: a lone continuation-less byte in UTF-8
      Buffer.from(' Phone"'),
      captured.subarray(at + userAgent.length),
    ]);
    kamailio.set("ul.dump", { raw });
    try {
      const [domain] = await client().ulDump();
      expect(domain?.aors[0]?.contacts[0]?.userAgent).toBe("Caf\uFFFD Phone");
      expect(domain?.aors[0]?.contacts[1]?.userAgent).toBe("kamdash-capture/1.0 (wss)");
    } finally {
      kamailio.set("ul.dump", { file: `${FIELD}/ul.dump.db-only-mode.json` });
    }
  });
});

describe("the replay server", () => {
  it("answers an unknown method like Kamailio: HTTP 500 Method Not Found", async () => {
    const error = await failure(client().call("kamdash.no_such_method", ["x"]));
    expect(isMethodNotFound(error)).toBe(true);
    expect(error.status).toBe(500);
    expect(kamailio.calls.at(-1)).toEqual({ method: "kamdash.no_such_method", params: ["x"] });
  });

  it("serves captured error bodies with the status from their name, or the one given", async () => {
    kamailio.set("ws.dump", { file: "rpc/ws.dump.module-not-loaded.http-500.json" });
    expect(isMethodNotFound(await failure(client().wsDump()))).toBe(true);
    kamailio.set("ws.dump", { file: "rpc/error.bad-param.http-400.json", status: 400 });
    expect(await failure(client().wsDump())).toMatchObject({ kind: "rpc", rpcCode: 400, status: 400 });
    kamailio.set("ws.dump", null);
  });

  it("rewrites the reply id to the request's (keepId shows the client would reject it otherwise)", async () => {
    kamailio.set("core.version", { file: "rpc/core.version.lab.json", keepId: true });
    const kept = await failure(client().coreVersion());
    expect(kept).toMatchObject({ kind: "invalid_reply", fieldPath: "id" });
    kamailio.set("core.version", { file: "rpc/core.version.lab.json" });
    const rpc = client();
    await rpc.coreUptime(); // request id 1; the file says 14
    await expect(rpc.coreVersion()).resolves.toMatchObject({ version: expect.any(String) });
  });

  it("hangUp closes the connection without an answer: a network error", async () => {
    kamailio.set("core.version", { hangUp: true });
    const error = await failure(client().coreVersion());
    expect(error.kind).toBe("network");
  });

  it("a delay past the client's timeout is a timeout; a shorter one just answers late", async () => {
    const uptime = { file: `${FIELD}/core.uptime.5.7.json` };
    kamailio.set("core.uptime", { delayMs: 1_000, reply: uptime });
    const error = await failure(client(150).coreUptime());
    expect(error.kind).toBe("timeout");
    kamailio.set("core.uptime", { delayMs: 50, reply: uptime });
    await expect(client(2_000).coreUptime()).resolves.toMatchObject({ uptimeSeconds: 366 });
    kamailio.set("core.uptime", uptime);
  });

  it("keeps the connection alive over sequential calls and serves a route's entries in turn", async () => {
    kamailio.set("rtpengine.show all", [
      { file: `${FIELD}/rtpengine.show.error-500-initializing.http` },
      { file: `${FIELD}/rtpengine.show.5x-states.json` },
    ]);
    const rpc = client();
    await rpc.coreUptime(); // opens (or reuses) a connection
    const before = kamailio.connections;
    const calls = kamailio.calls.length;
    expect((await failure(rpc.rtpengineShowAll())).rpcMessage).toBe("Initializing - try later");
    await expect(rpc.rtpengineShowAll()).resolves.toHaveLength(3);
    await expect(rpc.rtpengineShowAll()).resolves.toHaveLength(3); // the last entry repeats
    await expect(rpc.dlgList()).resolves.toHaveLength(3);
    await expect(rpc.coreUptime()).resolves.toMatchObject({ uptimeSeconds: 366 });
    expect(kamailio.connections).toBe(before);
    expect(kamailio.calls.slice(calls).map((c) => c.method)).toEqual([
      "rtpengine.show",
      "rtpengine.show",
      "rtpengine.show",
      "dlg.list",
      "core.uptime",
    ]);
  });

  it("answers several requests that arrive together on one socket, in order, with fixed-up framing", async () => {
    kamailio.set("rtpengine.show all", { file: `${FIELD}/rtpengine.show.error-404-instance.http` });
    const request = (method: string, params: string[], id: number) => {
      const body = JSON.stringify({ jsonrpc: "2.0", method, params, id });
      return `POST /RPC HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    };
    const wire = request("core.uptime", [], 41) + request("rtpengine.show", ["all"], 123_456);
    const text = await exchange(wire, (received) => received.endsWith("123456\n}"));
    const [uptime, http] = text.split(/(?=HTTP\/1\.1 )/);
    expect(uptime).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{[\s\S]*"id": 41\n\}\n$/);
    // the .http file's headers as captured, its id rewritten and Content-Length grown by the five extra digits
    const [head, body] = (http ?? "").split("\r\n\r\n");
    expect(head).toContain("HTTP/1.1 404 Instance not found\r\nSia: SIP/2.0/TCP 127.0.0.1:40512\r\n");
    expect(head).toContain("\r\nContent-Length: 101");
    expect(Buffer.byteLength(body ?? "")).toBe(101);
    expect(body).toMatch(/"id":\t123456\n\}$/);
  });
});

/** Writes `wire` on a fresh connection and collects what comes back until `complete` says so. */
function exchange(wire: string, complete: (received: string) => boolean): Promise<string> {
  const { port } = new URL(kamailio.url);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(wire));
    let received = "";
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      received += chunk.toString();
      if (!complete(received)) return;
      socket.destroy();
      resolve(received);
    });
  });
}
