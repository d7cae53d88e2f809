// Per-instance RTPEngine addresses (admin setting) and the /metrics fallback: the rtpengine-ng probe with the real
// /metrics reader against a local HTTP server serving RTPEngine 10.5's captured /metrics, a 404 (RTPEngine before
// mr9.2 has no /metrics) and malformed replies. NG itself is faked here; tests/integration/rtpengine-override-lab
// sends it to the lab's real RTPEngine.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RtpengineInstance } from "@/lib/poller/probes/rtpengine";
import { rtpengineNgProbe } from "@/lib/poller/probes/rtpengine-ng";
import type { ProbeContext, ProbeRpc } from "@/lib/poller/probes/types";
import { sessionsVsCalls } from "@/lib/poller/sessions-calls";
import { RtpengineError } from "@/lib/rtpengine/errors";
import { readMetricsSessions } from "@/lib/rtpengine/metrics";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../fixtures/rtpengine", name), "utf8");
const bodies: Record<string, { status: number; body: string }> = {
  "/calls/metrics": { status: 200, body: fixture("metrics.calls.txt") },
  "/idle/metrics": { status: 200, body: fixture("metrics.idle.txt") },
  "/old/metrics": { status: 404, body: "Not found\n" },
  "/garbage/metrics": { status: 200, body: "<html>not prometheus</html>\n" },
  "/negative/metrics": {
    status: 200,
    body: 'rtpengine_sessions{type="own"} -1\nrtpengine_sessions{type="foreign"} 0\n',
  },
};
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const reply = bodies[request.url ?? ""] ?? { status: 404, body: "" };
    response.writeHead(reply.status, { "content-type": "text/plain" });
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const listed = "udp:10.99.0.5:22222"; // what Kamailio lists; kamdash cannot reach it
const engine: RtpengineInstance = { url: listed, set: 0, state: "up", recheckSeconds: null, label: "up" };
const pinged: string[] = [];

function ctx(overrides: ProbeContext["rtpengineAddresses"], ngAnswers: (address: string) => boolean) {
  pinged.length = 0;
  return {
    rpc: {} as ProbeRpc,
    earlier: new Map([["rtpengine", [engine]]]),
    rtpengineAddresses: overrides,
    ngPing: async (address: string) => {
      pinged.push(address);
      if (!ngAnswers(address)) throw new Error(`no reply from ${address} within 1000 ms`);
    },
    ngSessions: async () => ({ own: 7, foreign: 0, total: 7 }),
    metricsSessions: (url: string) => readMetricsSessions(url, 1000),
  } satisfies ProbeContext;
}

describe("per-instance RTPEngine address", () => {
  it("sends NG to the override address instead of the URL Kamailio lists", async () => {
    const result = await rtpengineNgProbe.collect(
      ctx({ [listed]: { ng: "udp:127.0.0.1:22222", metricsUrl: null } }, (a) => a === "127.0.0.1:22222"),
    );
    expect(pinged).toEqual(["127.0.0.1:22222"]);
    expect(result).toMatchObject({ answering: [listed], silent: [], problem: null });
    expect(result.sessions).toEqual([{ url: listed, via: "ng", own: 7, foreign: 0, total: 7 }]);
  });

  it("without an override the listed URL is pinged (and here is silent)", async () => {
    const result = await rtpengineNgProbe.collect(ctx(undefined, () => false));
    expect(pinged).toEqual(["10.99.0.5:22222"]);
    expect(result.silent).toEqual([{ url: listed, error: "no reply from 10.99.0.5:22222 within 1000 ms" }]);
    expect(result.problem).toContain(listed);
  });

  it("reads /metrics when NG does not answer: sessions from RTPEngine's own gauge", async () => {
    const result = await rtpengineNgProbe.collect(
      ctx({ [listed]: { ng: null, metricsUrl: `${base}/calls/metrics` } }, () => false),
    );
    expect(result.silent).toEqual([]);
    expect(result.viaMetrics).toEqual([
      { url: listed, ngError: "no reply from 10.99.0.5:22222 within 1000 ms" },
    ]);
    // metrics.calls.txt: rtpengine_sessions{type="own"} 2, {type="foreign"} 0 (rtpengine_sessions_total 19 is a counter)
    expect(result.sessions).toEqual([{ url: listed, via: "metrics", own: 2, foreign: 0, total: 2 }]);
    expect(sessionsVsCalls(result, 2)).toEqual({ sessions: 2, calls: 2, gap: 0, engines: 1 });
  });

  it("/metrics missing (404 before mr9.2) or malformed: sessions unknown (null), the probe fails, nothing throws", async () => {
    for (const variant of ["old", "garbage", "negative"]) {
      const result = await rtpengineNgProbe.collect(
        ctx({ [listed]: { ng: null, metricsUrl: `${base}/${variant}/metrics` } }, () => false),
      );
      expect(result.sessions).toEqual([]);
      expect(result.silent).toHaveLength(1);
      expect(result.silent[0]?.error).toMatch(/^NG: no reply .*; \/metrics: /);
      expect(sessionsVsCalls(result, 2)).toBeNull(); // unknown, never 0 sessions
    }
  });

  it("the /metrics reader names what is wrong", async () => {
    await expect(readMetricsSessions(`${base}/old/metrics`)).rejects.toMatchObject({
      kind: "http",
      status: 404,
    });
    const garbage = await readMetricsSessions(`${base}/garbage/metrics`).catch((e: unknown) => e);
    expect(garbage).toBeInstanceOf(RtpengineError);
    expect(garbage).toMatchObject({ kind: "invalid_reply", fieldPath: 'rtpengine_sessions{type="own"}' });
    expect(await readMetricsSessions(`${base}/idle/metrics`)).toEqual({ own: 0, foreign: 0, total: 0 });
  });
});
