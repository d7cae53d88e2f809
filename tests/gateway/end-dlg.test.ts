import { describe, expect, it } from "vitest";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { DIALOG_CONFIRMED, DIALOG_DELETED, findDialog, kamailioRpc } from "../support/kamailio-rpc";
import { receivedRequests } from "../support/sipp";
import { startSippCallee } from "../support/sipp-phones";
import { waitFor, withTimeout } from "../support/wait";

// dlg.end_dlg: the gateway itself ends a call (what an operator's "hang up" button does).

const gateway = setUpGatewayFixture({ first: 31, count: 2 });

describe("dlg.end_dlg on a live WSS → UDP call", () => {
  it("sends BYE to both legs, removes the dialog and frees the RTPEngine session", async () => {
    const { lab, rtpengine } = gateway;
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await startSippCallee(lab, calleeUser, "udp", "answer");
    gateway.onCleanup(() => callee.stop());
    const caller = await gateway.wsUa(callerUser, "wss");

    const { response, call } = await caller.call(calleeUser.username);
    expect(response.status, "call answered").toBe(200);
    if (!call) throw new Error("no call established");

    const dialog = await waitFor(
      async () => {
        const found = await findDialog(lab.rpc, call.callId);
        return found?.state === DIALOG_CONFIRMED ? found : undefined;
      },
      { timeoutMs: 4_000, description: "dialog confirmed in dlg.list" },
    );
    await waitFor(() => rtpengine.has(call.callId), { timeoutMs: 2_000, description: "RTPEngine session" });

    await kamailioRpc(lab.rpc, "dlg.end_dlg", dialog.h_entry, dialog.h_id);

    const byeToCaller = await withTimeout(call.endedByRemote, 10_000, "BYE to the WSS caller");
    expect(byeToCaller.method).toBe("BYE");
    const calleeResult = await callee.finished();
    expect(receivedRequests(calleeResult, "BYE"), "BYE to the UDP callee").toHaveLength(1);
    expect(calleeResult.exitCode, "SIPp callee answered the BYE and ended its scenario").toBe(0);

    await waitFor(
      async () => {
        const found = await findDialog(lab.rpc, call.callId);
        return found === undefined || found.state === DIALOG_DELETED;
      },
      { timeoutMs: 5_000, description: "dialog gone (or state 5) after dlg.end_dlg" },
    );
    await waitFor(async () => !(await rtpengine.has(call.callId)), {
      timeoutMs: 5_000,
      description: "RTPEngine session freed after dlg.end_dlg (event_route[dialog:end])",
    });
  });
});
