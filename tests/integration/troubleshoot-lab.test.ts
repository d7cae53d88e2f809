import { describe, expect, it } from "vitest";
import { createKamailioClient } from "@/lib/kamailio/client";
import { dialogCounts, dialogRows } from "@/lib/troubleshoot/dialog-rows";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { DIALOG_CONFIRMED, findDialog } from "../support/kamailio-rpc";
import { startSippCallee } from "../support/sipp-phones";
import { waitFor } from "../support/wait";

// The troubleshooting rows built from what the lab's Kamailio lists, for calls and registrations driven here.

const gateway = setUpGatewayFixture({ first: 54, count: 4 });
const client = () => createKamailioClient({ url: gateway.lab.rpc, timeoutMs: 3_000 });

describe("dialog rows from the lab", () => {
  it("a WSS → UDP call reads confirmed, direction wss→udp, with a duration that grows", async () => {
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await startSippCallee(gateway.lab, calleeUser, "udp", "answer");
    gateway.onCleanup(() => callee.stop());
    const caller = await gateway.wsUa(callerUser, "wss");
    const { response, call } = await caller.call(calleeUser.username);
    expect(response.status).toBe(200);
    if (!call) throw new Error("no call established");
    gateway.onCleanup(() => call.hangUp());
    await waitFor(async () => (await findDialog(gateway.lab.rpc, call.callId))?.state === DIALOG_CONFIRMED, {
      timeoutMs: 4_000,
      description: "dialog confirmed",
    });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const rows = dialogRows("lab", await client().dlgList(), Math.floor(Date.now() / 1000));
    const row = rows.find((r) => r.callId === call.callId);
    expect(row).toMatchObject({
      node: "lab",
      state: "confirmed",
      direction: "wss→udp",
      fromUri: `sip:${callerUser.username}@${gateway.lab.domain}`,
      toUri: `sip:${calleeUser.username}@${gateway.lab.domain}`,
    });
    expect(row?.durationS).toBeGreaterThanOrEqual(2);
    expect(dialogCounts(rows).confirmed).toBeGreaterThanOrEqual(1);
  });
});
