import { describe, expect, it } from "vitest";
import { createKamailioClient } from "@/lib/kamailio/client";
import { dialogCounts, dialogRows } from "@/lib/troubleshoot/dialog-rows";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { wssToUdpCall } from "../support/wss-udp-call";

// The troubleshooting rows built from what the lab's Kamailio lists, for calls and registrations driven here.

const gateway = setUpGatewayFixture({ first: 54, count: 4 });
const client = () => createKamailioClient({ url: gateway.lab.rpc, timeoutMs: 3_000 });

describe("dialog rows from the lab", () => {
  it("a WSS → UDP call reads confirmed, direction wss→udp, with a duration that grows", async () => {
    const { call, callerUsername, calleeUsername } = await wssToUdpCall(gateway);
    gateway.onCleanup(() => call.hangUp());
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const rows = dialogRows("lab", await client().dlgList(), Math.floor(Date.now() / 1000));
    const row = rows.find((r) => r.callId === call.callId);
    expect(row).toMatchObject({
      node: "lab",
      state: "confirmed",
      direction: "wss→udp",
      fromUri: `sip:${callerUsername}@${gateway.lab.domain}`,
      toUri: `sip:${calleeUsername}@${gateway.lab.domain}`,
    });
    expect(row?.durationS).toBeGreaterThanOrEqual(2);
    expect(dialogCounts(rows).confirmed).toBeGreaterThanOrEqual(1);
  });
});
