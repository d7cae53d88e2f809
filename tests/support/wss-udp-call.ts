import type { GatewayFixture } from "./gateway-fixture";
import { DIALOG_CONFIRMED, findDialog, type KamailioDialog } from "./kamailio-rpc";
import type { SipCall } from "./sip-call";
import { startSippCallee } from "./sipp-phones";
import { waitFor } from "./wait";

/**
 * A live WSS → UDP call through the lab: two fresh users, a SIPp callee that answers over UDP, our WSS UA calling.
 * Resolves once dlg.list shows the dialog confirmed. The callee is stopped after the test.
 */
export async function wssToUdpCall(gateway: GatewayFixture): Promise<{
  call: SipCall;
  dialog: KamailioDialog;
  callee: Awaited<ReturnType<typeof startSippCallee>>;
  callerUsername: string;
  calleeUsername: string;
}> {
  const calleeUser = await gateway.freshUser();
  const callerUser = await gateway.freshUser();
  const callee = await startSippCallee(gateway.lab, calleeUser, "udp", "answer");
  gateway.onCleanup(() => callee.stop());
  const caller = await gateway.wsUa(callerUser, "wss");
  const { response, call } = await caller.call(calleeUser.username);
  if (response.status !== 200 || !call) throw new Error(`call not answered: ${response.status}`);
  const dialog = await waitFor(
    async () => {
      const found = await findDialog(gateway.lab.rpc, call.callId);
      return found?.state === DIALOG_CONFIRMED ? found : undefined;
    },
    { timeoutMs: 4_000, description: "dialog confirmed in dlg.list" },
  );
  return { call, dialog, callee, callerUsername: callerUser.username, calleeUsername: calleeUser.username };
}
