import { type Dialog, inDialogRequest, type RequestContext } from "./sip-dialog";
import type { SipRequest, SipResponse } from "./sip-message";
import type { SipWsConnection } from "./sip-ws-connection";

// One established (or establishing) call of the test UA.

export class SipCall {
  /** The BYE the other side sent, once it arrived. */
  remoteBye: SipRequest | undefined;
  /** Resolves with the remote BYE when the other side (or the proxy, e.g. dlg.end_dlg) ends the call. */
  readonly endedByRemote: Promise<SipRequest>;
  /** For incoming calls: resolves when the ACK to our 200 arrived. */
  readonly acknowledged: Promise<SipRequest>;

  private resolveEnded: (bye: SipRequest) => void = () => {};
  private resolveAck: (ack: SipRequest) => void = () => {};
  private state: "early" | "confirmed" | "terminated" = "early";

  constructor(
    readonly direction: "outgoing" | "incoming",
    readonly dialog: Dialog,
    /** The SDP this UA received (offer for incoming calls, answer for outgoing calls). */
    readonly remoteSdp: string,
    readonly localSdp: string,
    private readonly connection: SipWsConnection,
    private readonly context: RequestContext,
  ) {
    this.endedByRemote = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.acknowledged = new Promise((resolve) => {
      this.resolveAck = resolve;
    });
    if (direction === "outgoing") this.state = "confirmed";
  }

  get callId(): string {
    return this.dialog.callId;
  }

  get isTerminated(): boolean {
    return this.state === "terminated";
  }

  /** Ends the call with BYE through the dialog's route set; resolves with the final response. */
  async hangUp(): Promise<SipResponse> {
    if (this.state === "terminated") throw new Error(`call ${this.callId} already terminated`);
    const bye = inDialogRequest(this.dialog, "BYE", this.context);
    this.state = "terminated";
    return this.connection.sendRequest(bye);
  }

  /** Sends an in-dialog OPTIONS or INFO (used to check the route set reaches the other side). */
  sendInDialog(method: "OPTIONS" | "INFO"): Promise<SipResponse> {
    return this.connection.sendRequest(inDialogRequest(this.dialog, method, this.context));
  }

  /** @internal called by the UA */
  handleAck(ack: SipRequest): void {
    if (this.state === "early") this.state = "confirmed";
    this.resolveAck(ack);
  }

  /** @internal called by the UA */
  handleBye(bye: SipRequest): void {
    this.state = "terminated";
    this.remoteBye = bye;
    this.resolveEnded(bye);
  }
}
