import { describe, expect, it } from "vitest";
import { SipWsClient } from "../../scripts/capture/sip-ws-client";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { bridgeCounters, findDialog } from "../support/kamailio-rpc";
import { freePort } from "../support/ports";
import { finalResponses } from "../support/sipp";
import { sippRegister, startSippCallee, startSippCaller } from "../support/sipp-phones";
import { waitFor } from "../support/wait";

// The gateway's `bridge` counters (cnt.grp_get_all bridge): <from>_<to>_relayed per INVITE branch sent,
// <from>_<to>_failed per branch the network did not deliver (no reply, 408, 5xx); a call that reached its callee
// and was not taken (busy, rejected, cancelled by the caller, challenged downstream) is not a failure.

const DIALOG_EARLY = 2;
const gateway = setUpGatewayFixture({ first: 64, count: 16 });

async function counterDelta(action: () => Promise<void>): Promise<(name: string) => number> {
  const before = await bridgeCounters(gateway.lab.rpc);
  await action();
  const after = await bridgeCounters(gateway.lab.rpc);
  return (name: string) => {
    expect(after, `counter bridge.${name} exists`).toHaveProperty(name);
    return (after[name] ?? 0) - (before[name] ?? 0);
  };
}

describe("branch counters (group bridge)", () => {
  it("lists a relayed and a failed counter for every direction between udp, tcp, tls, ws, wss", async () => {
    const counters = await bridgeCounters(gateway.lab.rpc);
    const transports = ["udp", "tcp", "tls", "ws", "wss"];
    for (const from of transports) {
      for (const to of transports) {
        expect(counters, `${from}_${to}_relayed`).toHaveProperty(`${from}_${to}_relayed`);
        expect(counters, `${from}_${to}_failed`).toHaveProperty(`${from}_${to}_failed`);
      }
    }
  });

  it("WSS → UDP answered call: wss_udp_relayed +1, wss_udp_failed unchanged", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await startSippCallee(gateway.lab, calleeUser, "udp", "answer");
    gateway.onCleanup(() => callee.stop());
    const caller = await gateway.wsUa(callerUser, "wss");

    const delta = await counterDelta(async () => {
      const { response, call } = await caller.call(calleeUser.username);
      expect(response.status).toBe(200);
      expect((await call?.hangUp())?.status).toBe(200);
      expect((await callee.finished()).exitCode).toBe(0);
    });
    expect(delta("wss_udp_relayed")).toBe(1);
    expect(delta("wss_udp_failed")).toBe(0);
    expect(delta("ws_udp_relayed"), "WSS is not counted as WS").toBe(0);
  });

  it("UDP → WSS call rejected with 486 by the browser: udp_wss_relayed +1, udp_wss_failed unchanged (busy)", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await gateway.wsUa(calleeUser, "wss", {
      action: "reject",
      status: 486,
      reason: "Busy Here",
    });
    expect((await callee.register()).final.status).toBe(200);

    const delta = await counterDelta(async () => {
      const caller = await startSippCaller(gateway.lab, callerUser, calleeUser.username, "udp", 0);
      gateway.onCleanup(() => caller.stop());
      const result = await caller.finished();
      expect(finalResponses(result, "INVITE"), "caller sees 407, then the callee's 486").toEqual([407, 486]);
    });
    expect(callee.receivedInvites).toHaveLength(1);
    expect(delta("udp_wss_relayed")).toBe(1);
    expect(delta("udp_wss_failed")).toBe(0);
  });

  it("TLS → TLS call rejected with 486 by a SIPp phone: tls_tls_relayed +1, tls_tls_failed unchanged", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await startSippCallee(gateway.lab, calleeUser, "tls", "reject");
    gateway.onCleanup(() => callee.stop());

    const delta = await counterDelta(async () => {
      const caller = await startSippCaller(gateway.lab, callerUser, calleeUser.username, "tls", 0);
      gateway.onCleanup(() => caller.stop());
      const result = await caller.finished();
      expect(finalResponses(result, "INVITE")).toEqual([407, 486]);
      expect((await callee.finished()).exitCode, "SIPp callee sent 486 and got the ACK").toBe(0);
    });
    expect(delta("tls_tls_relayed")).toBe(1);
    expect(delta("tls_tls_failed")).toBe(0);
  });

  // [callee's reply, reason, what the caller gets, failed +N]: a proxy turns a 503 into 500 (RFC 3261 16.7)
  for (const [status, reason, callerSees, counts] of [
    [503, "Service Unavailable", 500, 1],
    [407, "Proxy Authentication Required", 407, 0],
  ] as const) {
    it(`WSS → UDP call answered ${status} by the callee's side: wss_udp_failed +${counts}`, async () => {
      const calleeUser = await gateway.freshUser();
      const callerUser = await gateway.freshUser();
      const callee = await startSippCallee(gateway.lab, calleeUser, "udp", { status, reason });
      gateway.onCleanup(() => callee.stop());
      const caller = await gateway.wsUa(callerUser, "wss");

      const delta = await counterDelta(async () => {
        const { response } = await caller.call(calleeUser.username);
        expect(response.status).toBe(callerSees);
        expect((await callee.finished()).exitCode, "SIPp callee sent its reply and got the ACK").toBe(0);
      });
      expect(delta("wss_udp_relayed")).toBe(1);
      expect(delta("wss_udp_failed")).toBe(counts);
    });
  }

  it("WSS → WS call cancelled by the caller while ringing (487): wss_ws_relayed +1, wss_ws_failed unchanged", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const connect = (url: string, user: typeof calleeUser, onInvite?: "ring") =>
      SipWsClient.connect({
        url,
        origin: gateway.lab.origins[0] ?? "",
        domain: gateway.lab.domain,
        ...user,
        onInvite,
      });
    const callee = await connect(gateway.lab.sip.ws, calleeUser, "ring");
    const caller = await connect(gateway.lab.sip.wss, callerUser);
    gateway.onCleanup(() => Promise.all([callee.close(), caller.close()]));
    expect(await callee.register(300)).toBe(200);
    expect(await caller.register(300)).toBe(200);

    const delta = await counterDelta(async () => {
      const call = caller.invite(calleeUser.username);
      // early (2): the callee's 180 Ringing went through, so the CANCEL has a branch to end
      await waitFor(async () => (await findDialog(gateway.lab.rpc, call.callId))?.state === DIALOG_EARLY, {
        description: "the call ringing in dlg.list",
      });
      await call.cancel();
      expect((await call.final).status).toBe(487);
    });
    expect(delta("wss_ws_relayed")).toBe(1);
    expect(delta("wss_ws_failed")).toBe(0);
  });

  it("WSS → UDP call to an unreachable phone (contact on a closed port): 408, wss_udp_failed +1", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    // registered contact points at a UDP port nobody listens on: the branch can only time out
    const registration = await sippRegister(gateway.lab, calleeUser, "udp", {
      contactPort: await freePort(),
    });
    expect(registration.finals).toEqual([401, 200]);
    const caller = await gateway.wsUa(callerUser, "wss");

    const delta = await counterDelta(async () => {
      const { response } = await caller.call(calleeUser.username);
      expect(response.status, "the gateway's transaction timer ends the branch").toBe(408);
    });
    expect(delta("wss_udp_relayed")).toBe(1);
    expect(delta("wss_udp_failed")).toBe(1);
  });

  it("a call nobody is registered for creates no branch: counters unchanged, caller gets 404/480", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const caller = await gateway.wsUa(callerUser, "wss");
    const before = await bridgeCounters(gateway.lab.rpc);
    const { response } = await caller.call(calleeUser.username);
    expect([404, 480]).toContain(response.status);
    const after = await bridgeCounters(gateway.lab.rpc);
    const fromWss = (counters: Record<string, number>) =>
      Object.fromEntries(Object.entries(counters).filter(([name]) => name.startsWith("wss_")));
    expect(fromWss(after)).toEqual(fromWss(before));
  });
});
