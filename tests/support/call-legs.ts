import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { GatewayFixture } from "./gateway-fixture";
import type { LabUser } from "./lab";
import type { SipCall } from "./sip-call";
import type { SipMessage } from "./sip-message";
import { finalResponses, receivedRequests, type SippResult } from "./sipp";
import { type SippTransport, startSippCallee, startSippCaller } from "./sipp-phones";
import { withTimeout } from "./wait";

// The two ends of a test call, whatever plays them: SIPp (udp/tcp/tls) or the WebSocket UA (ws/wss).

export type LegTransport = SippTransport | "ws" | "wss";

export const isWebSocket = (transport: LegTransport): transport is "ws" | "wss" =>
  transport === "ws" || transport === "wss";

export interface CalleeLeg {
  user: LabUser;
  transport: LegTransport;
  /** After the call: the SDP offer the callee received in the INVITE. */
  receivedOffer(): Promise<string>;
  /** Resolves once the callee saw the call end with a BYE (and answered it). */
  waitForBye(): Promise<void>;
}

export interface CallerLeg {
  user: LabUser;
  callId: string;
  /** Resolves when the call is answered (WS caller) / immediately for SIPp (it runs on its own). */
  answered: Promise<void>;
  /** Hangs up (WS caller) or waits for SIPp to hang up after its hold time; checks the BYE got 200. */
  hangUp(): Promise<void>;
  /** After the call: the SDP answer the caller received in the 200 OK. */
  receivedAnswer(): Promise<string>;
}

function bodyOf(message: SipMessage | undefined, what: string): string {
  expect(message, what).toBeDefined();
  return message?.body ?? "";
}

/** A registered callee that answers: SIPp (plain RTP) or the WebSocket UA (WebRTC SDP). */
export async function startCallee(gateway: GatewayFixture, transport: LegTransport): Promise<CalleeLeg> {
  const user = await gateway.freshUser();
  if (isWebSocket(transport)) {
    const ua = await gateway.wsUa(user, transport);
    expect((await ua.register()).final.status, `${transport} callee REGISTER`).toBe(200);
    const incoming = ua.nextIncomingCall(30_000);
    incoming.catch(() => {}); // awaited below; avoid an unhandled rejection if the test fails earlier
    let call: SipCall | undefined;
    const getCall = async () => {
      call ??= await incoming;
      return call;
    };
    return {
      user,
      transport,
      receivedOffer: async () => (await getCall()).remoteSdp,
      waitForBye: async () => {
        await withTimeout((await getCall()).endedByRemote, 15_000, `${transport} callee to receive BYE`);
      },
    };
  }
  const callee = await startSippCallee(gateway.lab, user, transport, "answer");
  gateway.onCleanup(() => callee.stop());
  let result: SippResult | undefined;
  const finished = async () => {
    result ??= await callee.finished();
    return result;
  };
  return {
    user,
    transport,
    receivedOffer: async () =>
      bodyOf(receivedRequests(await finished(), "INVITE")[0], "SIPp callee got an INVITE"),
    waitForBye: async () => {
      const done = await finished();
      expect(done.exitCode, `SIPp ${transport} callee scenario (INVITE, ACK, BYE) completed`).toBe(0);
      expect(receivedRequests(done, "BYE"), "SIPp callee received BYE").toHaveLength(1);
    },
  };
}

/** A caller: SIPp (plain RTP offer, holds `holdMs`, then BYE) or the WebSocket UA (WebRTC offer). */
export async function startCaller(
  gateway: GatewayFixture,
  transport: LegTransport,
  calleeUser: string,
  holdMs: number,
): Promise<CallerLeg> {
  const user = await gateway.freshUser();
  if (isWebSocket(transport)) {
    const ua = await gateway.wsUa(user, transport);
    const callId = `gw-${transport}-${randomBytes(8).toString("hex")}`;
    const attempt = ua.call(calleeUser, { callId });
    attempt.catch(() => {}); // awaited by answered/hangUp
    return {
      user,
      callId,
      answered: attempt.then((result) => {
        expect(result.response.status, `${transport} caller's INVITE answered`).toBe(200);
        expect(result.responses.map((r) => r.status)).toContain(407);
      }),
      hangUp: async () => {
        const { call } = await attempt;
        if (!call) throw new Error("no call to hang up");
        expect((await call.hangUp()).status, "BYE answered 200").toBe(200);
      },
      receivedAnswer: async () => (await attempt).response.body,
    };
  }
  const caller = await startSippCaller(gateway.lab, user, calleeUser, transport, holdMs);
  gateway.onCleanup(() => caller.stop());
  let result: SippResult | undefined;
  const finished = async () => {
    result ??= await caller.finished();
    return result;
  };
  return {
    user,
    callId: caller.callId,
    answered: Promise.resolve(),
    hangUp: async () => {
      const done = await finished();
      expect(finalResponses(done, "INVITE"), `SIPp ${transport} caller: 407 then 200`).toEqual([407, 200]);
      expect(finalResponses(done, "BYE"), "BYE answered 200").toEqual([200]);
      expect(done.exitCode, "SIPp caller scenario completed").toBe(0);
    },
    receivedAnswer: async () => {
      const ok = (await finished()).trace.find(
        (e) => e.direction === "received" && e.message.kind === "response" && e.message.status === 200,
      );
      return bodyOf(ok?.message, "SIPp caller got a 200 OK");
    },
  };
}
