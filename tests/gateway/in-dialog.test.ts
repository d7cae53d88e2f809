import { describe, expect, it } from "vitest";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { DIALOG_CONFIRMED, DIALOG_DELETED, findDialog } from "../support/kamailio-rpc";
import { waitFor, withTimeout } from "../support/wait";

// Requests inside a dialog in both directions: the callee's route set (Record-Route copied in order)
// and the caller's (reversed) must both lead through the gateway to the other browser.

const gateway = setUpGatewayFixture({ first: 58, count: 3 });

describe("in-dialog requests between two browsers (WSS → WS)", () => {
  it("OPTIONS both ways, then the callee hangs up: BYE reaches the caller, dialog and media freed", async () => {
    const { lab, rtpengine } = gateway;
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await gateway.wsUa(calleeUser, "ws");
    expect((await callee.register()).final.status).toBe(200);
    const caller = await gateway.wsUa(callerUser, "wss");

    const incoming = callee.nextIncomingCall();
    const { response, call: callerSide } = await caller.call(calleeUser.username);
    expect(response.status).toBe(200);
    if (!callerSide) throw new Error("no call");
    const calleeSide = await incoming;
    await withTimeout(calleeSide.acknowledged, 5_000, "ACK reaches the callee");
    await waitFor(async () => (await findDialog(lab.rpc, callerSide.callId))?.state === DIALOG_CONFIRMED, {
      timeoutMs: 4_000,
      description: "dialog confirmed",
    });

    expect((await callerSide.sendInDialog("OPTIONS")).status, "caller → callee in-dialog OPTIONS").toBe(200);
    expect((await calleeSide.sendInDialog("OPTIONS")).status, "callee → caller in-dialog OPTIONS").toBe(200);

    expect((await calleeSide.hangUp()).status, "callee's BYE answered").toBe(200);
    const bye = await withTimeout(callerSide.endedByRemote, 5_000, "BYE reaches the caller");
    expect(bye.method).toBe("BYE");

    await waitFor(
      async () => {
        const found = await findDialog(lab.rpc, callerSide.callId);
        return found === undefined || found.state === DIALOG_DELETED;
      },
      { timeoutMs: 5_000, description: "dialog gone after the callee's BYE" },
    );
    await waitFor(async () => !(await rtpengine.has(callerSide.callId)), {
      timeoutMs: 5_000,
      description: "RTPEngine session freed after the callee's BYE",
    });
  });

  it("out-of-dialog OPTIONS to the gateway itself is answered 200 (keepalive)", async () => {
    const user = await gateway.freshUser();
    const ua = await gateway.wsUa(user, "wss");
    expect((await ua.sendOptions(`sip:${gateway.lab.domain}`)).status).toBe(200);
  });
});
