import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { type NodeSnapshot, OverviewResponseSchema } from "@/lib/poller/snapshot";
import type { RtpengineInstanceStats } from "@/lib/rtpengine/instance-stats";
import { fetchRtpengineMetrics, metricSum } from "@/lib/rtpengine/metrics";
import { createRtpengineNgClient, type RtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { type LabConfig, labUp } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import type { SipCall } from "../support/sip-call";
import { SipWsUa } from "../support/sip-ws-ua";
import { type SippCallee, startSippCallee } from "../support/sipp-phones";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// Per-instance RTPEngine numbers on the real lab, through the real probe path (poller → rtpengine-ng probe → NG
// statistics → node snapshot → /api/v1/overview): while one WSS → UDP call through the lab is up, the ports used
// grow by exactly the ports RTPEngine's NG `query` lists for that call (3: one for the rtcp-mux WebRTC leg, an
// RTP/RTCP pair for the UDP leg), and the snapshot's ports agree with RTPEngine's own /metrics
// (rtpengine_ports_used) read right after the same cycle.
// The lab is shared: a reading counts once snapshot and /metrics agree on two cycles in a row, and an attempt
// counts only when the sessions changed by this call alone. Lab users 80..81 (tests/support/gateway-fixture.ts).

const USERS = { first: 80, count: 2 };
const NODE = "lab";
let lab: LabConfig;
let polled: PolledNodes;
let ng: RtpengineNgClient;
let callee: SippCallee | undefined;
let caller: SipWsUa | undefined;
const calls: SipCall[] = [];

type Reading = { used: number; free: number; sessions: number; stats: RtpengineInstanceStats };

const labEngine = (s: NodeSnapshot) => s.rtpengines?.find((e) => e.url === `udp:${lab.rtpengine.ng}`);

/** Ports and sessions once the snapshot's stats and RTPEngine's /metrics agree on two cycles in a row. */
async function agreedReading(description: string): Promise<Reading> {
  let previous: Reading | null = null;
  const seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    const stats = labEngine(await nextCycles(NODE, 1))?.stats;
    const metrics = await fetchRtpengineMetrics({ baseUrl: lab.rtpengine.http });
    const metricsUsed = metricSum(metrics, "rtpengine_ports_used");
    seen.push(`snapshot ${stats?.ports?.used ?? "none"} vs /metrics ${metricsUsed ?? "none"}`);
    if (!stats?.ports || stats.ports.used !== metricsUsed) {
      previous = null;
      continue;
    }
    const reading = { used: stats.ports.used, free: stats.ports.free, sessions: stats.sessions.total, stats };
    if (previous && previous.used === reading.used && previous.sessions === reading.sessions) return reading;
    previous = reading;
  }
  throw new Error(`${description}: snapshot and /metrics never agreed twice in a row: ${seen.join("; ")}`);
}

/**
 * The local ports RTPEngine holds for one call: every stream of every leg, RTP and RTCP; an rtcp-mux leg's RTCP
 * stream has local port 0 (no socket of its own).
 */
async function portsOfCall(callId: string): Promise<number> {
  const query = await ng.query(callId);
  return new Set(query.streams.map((s) => s.localPort).filter((p) => p !== null && p > 0)).size;
}

beforeAll(async () => {
  lab = (await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers })).config;
  ng = createRtpengineNgClient({ address: lab.rtpengine.ng });
  for (const user of lab.users.slice(USERS.first, USERS.first + USERS.count)) {
    await removeRegistrations(lab.rpc, user.username);
  }
  polled = await startPollingNodes("rtpengine_instance_stats", [
    { name: NODE, rpcUrl: lab.rpc, source: "lab" },
  ]);
});

afterAll(async () => {
  for (const call of calls.splice(0)) await call.hangUp().catch(() => undefined);
  await caller?.close();
  await callee?.stop();
  await ng?.close();
  await polled?.stop();
});

describe("per-instance RTPEngine numbers on the lab", () => {
  it("ports used grow by the call's ports while it is up, as RTPEngine's own /metrics says", async () => {
    const [calleeUser, callerUser] = lab.users.slice(USERS.first, USERS.first + USERS.count);
    if (!calleeUser || !callerUser) throw new Error(`lab has no users ${USERS.first}..${USERS.first + 1}`);
    callee = await startSippCallee(lab, calleeUser, "udp", "answer", 120_000, 3);
    caller = await SipWsUa.connect({
      url: lab.sip.wss,
      origin: lab.origins[0] ?? "",
      domain: lab.domain,
      username: callerUser.username,
      password: callerUser.password,
      contactTransport: "wss",
    });

    const attempts: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await agreedReading("before the call");
      const { response, call } = await caller.call(calleeUser.username);
      expect(response.status).toBe(200);
      if (!call) throw new Error("call answered without a dialog");
      calls.push(call);
      const callPorts = await portsOfCall(call.callId);
      const during = await agreedReading("during the call");
      expect((await call.hangUp()).status).toBe(200);
      calls.splice(calls.indexOf(call), 1);
      const after = await agreedReading("after the call");

      if (during.sessions - before.sessions !== 1 || after.sessions !== before.sessions) {
        attempts.push(
          `sessions ${before.sessions} → ${during.sessions} → ${after.sessions}: other calls on the lab`,
        );
        continue;
      }
      expect(callPorts).toBe(3); // the WebRTC leg (rtcp-mux): 1 port; the UDP leg: an RTP/RTCP pair
      expect(during.used - before.used).toBe(callPorts);
      expect(before.free - during.free).toBe(callPorts);
      expect(after.used).toBe(before.used); // delete-delay=0 in the lab: the ports come back at BYE

      // what the probe says besides ports: read over NG; rates are real numbers; unknowns carry a reason
      const stats = during.stats;
      expect(stats.via).toBe("ng");
      expect(stats.packetRate.value).toEqual(expect.any(Number));
      for (const average of [stats.mos, stats.jitterMs, stats.packetLossPct]) {
        if (average.value === null) expect(average.reason).toEqual(expect.any(String));
        else expect(average.samples).toBeGreaterThan(0);
      }

      // and the API that returns the node snapshot carries the same per-instance numbers
      const overview = await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
        params: Promise.resolve({}),
      });
      const node = OverviewResponseSchema.parse(await overview.json()).nodes.find((n) => n.name === NODE);
      const served = node ? labEngine(node)?.stats : undefined;
      expect(served?.ports?.interfaces.length).toBeGreaterThan(0);
      expect(served?.ports?.total).toBe(before.used + before.free);
      expect(polled.pollErrors).toEqual([]);
      return;
    }
    throw new Error(`the lab never had this call alone on RTPEngine: ${attempts.join("; ")}`);
  });
});
