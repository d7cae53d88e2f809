// The fixture capture's SIP-over-WebSocket user agent, on the test UA's transport, message, digest and dialog code
// (tests/support): REGISTER with digest, outgoing INVITE (407 retry, ACK, CANCEL, BYE), incoming INVITEs rung or
// answered, CANCEL/BYE answered. Unlike tests/support/sip-ws-ua.ts it can leave a call ringing and cancel one, and
// it sends what the fixtures were captured with: Contact user = the SIP user, no Allow on REGISTER, capture SDP.
import { digestAuthorization, parseDigestChallenge } from "../../tests/support/digest";
import {
  cancelFor,
  type Dialog,
  dialogFromResponse,
  inDialogRequest,
  non2xxAck,
  outOfDialogRequest,
  type RequestContext,
  responseTo,
} from "../../tests/support/sip-dialog";
import {
  header,
  randomToken,
  requireHeader,
  type SipHeader,
  type SipRequest,
  type SipResponse,
} from "../../tests/support/sip-message";
import { SipWsConnection } from "../../tests/support/sip-ws-connection";
import { captureSdp } from "./capture-sdp";

export type { Dialog } from "../../tests/support/sip-dialog";

export interface SipWsClientOptions {
  url: string;
  origin: string;
  domain: string;
  username: string;
  password: string;
  userAgent?: string;
  /** What to do with an incoming INVITE: ring only (dialog stays early) or answer with 200 + SDP. */
  onInvite?: "ring" | "answer";
}

export interface OutgoingCall {
  callId: string;
  /** Final status of the INVITE (after a 407 retry), or of the CANCELled INVITE (487). */
  final: Promise<{ status: number; dialog: Dialog | undefined }>;
  /** Cancels the INVITE while it is still ringing. */
  cancel(): Promise<number>;
}

const TRANSACTION_TIMEOUT_MS = 10_000;
/** An INVITE may ring while the capture reads the lab's state, until it is cancelled. */
const INVITE_TIMEOUT_MS = 60_000;

export class SipWsClient {
  private readonly ringing = new Map<string, { invite: SipRequest; toTag: string }>();
  private readonly registerCallId = `${randomToken(16)}@kamdash`;
  private registerCseq = 0;
  private readonly context: RequestContext;

  private constructor(
    private readonly connection: SipWsConnection,
    private readonly options: SipWsClientOptions,
  ) {
    const transport = connection.viaTransport.toLowerCase();
    this.context = {
      viaTransport: connection.viaTransport,
      viaHost: connection.viaHost,
      contact: `<sip:${options.username}@${connection.viaHost};transport=${transport}>`,
      userAgent: options.userAgent ?? "kamdash-capture/1.0",
    };
    connection.onRequest((request) => this.handleRequest(request));
  }

  static async connect(options: SipWsClientOptions): Promise<SipWsClient> {
    const connection = await SipWsConnection.open({
      url: options.url,
      origin: options.origin,
      connectTimeoutMs: 5_000,
      transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
    });
    return new SipWsClient(connection, options);
  }

  private get aor(): string {
    return `sip:${this.options.username}@${this.options.domain}`;
  }

  private authorization(
    challenge: SipResponse,
    challengeHeader: string,
    method: string,
    uri: string,
  ): string {
    const parsed = parseDigestChallenge(requireHeader(challenge, challengeHeader));
    return digestAuthorization(parsed, this.options, method, uri);
  }

  /** REGISTER, answering one 401 challenge; resolves with the final status. */
  async register(expires = 600): Promise<number> {
    const registrar = `sip:${this.options.domain}`;
    let authorization: SipHeader[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const request = outOfDialogRequest(this.context, this.aor, randomToken(8), {
        method: "REGISTER",
        uri: registrar,
        callId: this.registerCallId,
        cseq: ++this.registerCseq,
        body: "",
        extraHeaders: [
          { name: "contact", value: `${this.context.contact};expires=${expires}` },
          ...authorization,
        ],
      });
      const reply = await this.connection.sendRequest(request);
      if (reply.status !== 401) return reply.status;
      const value = this.authorization(reply, "www-authenticate", "REGISTER", registrar);
      authorization = [{ name: "authorization", value }];
    }
    return 401;
  }

  /** Starts a call to `targetUser`; `final` settles once the INVITE has a final answer (a 2xx is ACKed). */
  invite(targetUser: string): OutgoingCall {
    const callId = `${randomToken(16)}@kamdash`;
    const fromTag = randomToken(8);
    const target = `sip:${targetUser}@${this.options.domain}`;
    let current: SipRequest | undefined;
    let sawProvisional: () => void = () => undefined;
    const provisional = new Promise<void>((resolve) => {
      sawProvisional = resolve;
    });
    const onProvisional = (response: SipResponse) => response.status !== 100 && sawProvisional();

    const run = async (): Promise<{ status: number; dialog: Dialog | undefined }> => {
      let authorization: SipHeader[] = [];
      for (let cseq = 1; cseq <= 2; cseq++) {
        const invite = outOfDialogRequest(this.context, this.aor, fromTag, {
          method: "INVITE",
          uri: target,
          callId,
          cseq,
          body: captureSdp("actpass"),
          extraHeaders: [{ name: "contact", value: this.context.contact }, ...authorization],
        });
        current = invite;
        const reply = await this.connection.sendRequest(invite, {
          onProvisional,
          timeoutMs: INVITE_TIMEOUT_MS,
        });
        if (reply.status >= 300) {
          this.connection.send(non2xxAck(invite, reply));
          if (reply.status !== 407 || cseq > 1) return { status: reply.status, dialog: undefined };
          const value = this.authorization(reply, "proxy-authenticate", "INVITE", target);
          authorization = [{ name: "proxy-authorization", value }];
          continue;
        }
        const dialog = dialogFromResponse(invite, reply);
        this.connection.send(inDialogRequest(dialog, "ACK", this.context, { cseq }));
        return { status: reply.status, dialog };
      }
      throw new Error("unreachable: the INVITE loop always returns");
    };

    const cancel = async (): Promise<number> => {
      await provisional; // CANCEL is only allowed once the INVITE got a provisional response
      if (!current) throw new Error(`call ${callId}: no INVITE to cancel`);
      return (await this.connection.sendRequest(cancelFor(current))).status;
    };

    return { callId, final: run(), cancel };
  }

  async bye(dialog: Dialog): Promise<number> {
    return (await this.connection.sendRequest(inDialogRequest(dialog, "BYE", this.context))).status;
  }

  private handleRequest(request: SipRequest): void {
    const callId = header(request, "call-id") ?? "";
    if (request.method === "INVITE") {
      const toTag = randomToken(8);
      this.connection.send(responseTo(request, 180, "Ringing", { toTag }));
      if (this.options.onInvite === "answer") {
        const answer = { toTag, contact: this.context.contact, body: captureSdp("active") };
        this.connection.send(responseTo(request, 200, "OK", answer));
      } else this.ringing.set(callId, { invite: request, toTag });
    } else if (request.method === "CANCEL") {
      this.connection.send(responseTo(request, 200, "OK"));
      const pending = this.ringing.get(callId);
      this.ringing.delete(callId);
      if (pending)
        this.connection.send(responseTo(pending.invite, 487, "Request Terminated", { toTag: pending.toTag }));
    } else if (request.method === "BYE" || request.method === "OPTIONS") {
      this.connection.send(responseTo(request, 200, "OK"));
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
