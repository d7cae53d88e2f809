import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { createRtpengineNgClient, type RtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import type { SipCall } from "../support/sip-call";
import { SipWsUa } from "../support/sip-ws-ua";
import { type SippCallee, startSippCallee } from "../support/sipp-phones";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// One RTPEngine session per call, against the real lab: with N live calls kamdash shows N sessions on N calls
// (NG statistics of the engine Kamailio lists, dialogs from dlg.stats_active); a session offered to RTPEngine
// without a dialog shows as a gap. Lab users 34..37 (the integration slice).

const CALLS = 3;
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let polled: PolledNodes;
let ng: RtpengineNgClient;
let callee: SippCallee | undefined;
let caller: SipWsUa | undefined;
const calls: SipCall[] = [];
const strayCallId = `kamdash-stray-${randomBytes(6).toString("hex")}`;
const users = () => lab.users.slice(34, 36);

async function settled(what: (s: NodeSnapshot) => boolean, description: string): Promise<NodeSnapshot> {
  for (let i = 0; i < 10; i++) {
    const snapshot = await nextCycles("lab", 1);
    if (what(snapshot)) return snapshot;
  }
  throw new Error(`${description}: not within 10 poll cycles`);
}

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  ng = createRtpengineNgClient({ address: lab.rtpengine.ng });
  for (const user of users()) await removeRegistrations(lab.rpc, user.username);
  polled = await startPollingNodes("sessions_calls", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }]);
});

afterAll(async () => {
  await ng?.command("delete", { "call-id": strayCallId, "from-tag": "stray" }).catch(() => undefined);
  for (const call of calls.splice(0)) await call.hangUp().catch(() => undefined);
  await caller?.close();
  await callee?.stop();
  await ng?.close();
  await polled?.stop();
});

describe("sessions vs calls on the lab", () => {
  it(`${CALLS} live calls: ${CALLS} sessions on ${CALLS} calls; a session without a dialog is a gap of 1`, async () => {
    await settled((s) => s.sessionsVsCalls?.gap === 0 && s.sessionsVsCalls.calls === 0, "an idle lab");
    const [calleeUser, callerUser] = users();
    if (!calleeUser || !callerUser) throw new Error("not enough lab users");
    callee = await startSippCallee(lab, calleeUser, "udp", "answer", 120_000, CALLS);
    caller = await SipWsUa.connect({
      url: lab.sip.wss,
      origin: lab.origins[0] ?? "",
      domain: lab.domain,
      username: callerUser.username,
      password: callerUser.password,
      contactTransport: "wss",
    });
    for (let i = 0; i < CALLS; i++) {
      const { response, call } = await caller.call(calleeUser.username);
      expect(response.status).toBe(200);
      if (call) calls.push(call);
    }
    const live = await settled((s) => s.sessionsVsCalls?.calls === CALLS, `${CALLS} calls seen`);
    expect(live.sessionsVsCalls).toEqual({ sessions: CALLS, calls: CALLS, gap: 0, engines: 1 });

    const sdp =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
    await ng.command("offer", { "call-id": strayCallId, "from-tag": "stray", sdp });
    const leak = await settled((s) => s.sessionsVsCalls?.gap === 1, "the stray session");
    expect(leak.sessionsVsCalls).toEqual({ sessions: CALLS + 1, calls: CALLS, gap: 1, engines: 1 });

    await ng.command("delete", { "call-id": strayCallId, "from-tag": "stray" });
    for (const call of calls.splice(0)) expect((await call.hangUp()).status).toBe(200);
    const idle = await settled((s) => s.sessionsVsCalls?.calls === 0, "calls ended");
    expect(idle.sessionsVsCalls).toEqual({ sessions: 0, calls: 0, gap: 0, engines: 1 });
  });
});
