import { digestAuthorization, parseDigestChallenge } from "./digest";
import { SipCall } from "./sip-call";
import {
  dialogFromRequest,
  dialogFromResponse,
  inDialogRequest,
  newBranch,
  non2xxAck,
  outOfDialogRequest,
  type RequestContext,
  responseTo,
  viaHeader,
} from "./sip-dialog";
import {
  cseqOf,
  header,
  randomToken,
  requireHeader,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  tagOf,
} from "./sip-message";
import { SipWsConnection, type SipWsSocketOptions } from "./sip-ws-connection";
import { webrtcAnswer, webrtcOffer } from "./webrtc-sdp";

// A small SIP user agent over WebSocket behaving like a browser softphone (JsSIP-style Via/Contact).

export type IncomingCallPolicy =
  | { action: "answer" }
  | { action: "reject"; status: number; reason: string }
  | { action: "ignore" };

export interface SipWsUaOptions {
  url: string;
  origin: string;
  domain: string;
  username: string;
  password: string;
  /** Contact URI transport; JsSIP writes "ws" for WS and WSS alike. */
  contactTransport?: "ws" | "wss";
  incomingCalls?: IncomingCallPolicy;
  /** User-Agent header (default "kamdash-gateway-tests/1 (sip-ws-ua)"): tests put hostile text here. */
  userAgent?: string;
  /** Socket options: the local address to bind (many loopback sources), the handshake timeout. */
  socket?: SipWsSocketOptions;
}

export interface CallAttempt {
  /** Final response to the (authenticated) INVITE. */
  response: SipResponse;
  /** All responses seen, provisional and final, including the 407 challenge. */
  responses: SipResponse[];
  /** Present when the INVITE got a 2xx (the ACK was sent). */
  call: SipCall | undefined;
}

export class SipWsUa {
  readonly receivedInvites: SipRequest[] = [];
  private readonly calls = new Map<string, SipCall>();
  private readonly incomingQueue: SipCall[] = [];
  private readonly incomingWaiters: ((call: SipCall) => void)[] = [];
  private readonly sentAcks = new Map<string, SipRequest>();
  private readonly registerCallId = `${randomToken(20)}`;
  private readonly registerFromTag = randomToken(10);
  private registerSeq = 0;
  private readonly context: RequestContext;
  incomingPolicy: IncomingCallPolicy;

  private constructor(
    readonly connection: SipWsConnection,
    private readonly options: SipWsUaOptions,
  ) {
    const contactUser = randomToken(8);
    this.context = {
      viaTransport: connection.viaTransport,
      viaHost: connection.viaHost,
      contact: `<sip:${contactUser}@${connection.viaHost};transport=${options.contactTransport ?? "ws"}>`,
      userAgent: options.userAgent ?? "kamdash-gateway-tests/1 (sip-ws-ua)",
    };
    this.incomingPolicy = options.incomingCalls ?? { action: "answer" };
    connection.onRequest((request) => this.handleRequest(request));
    connection.onStrayResponse((response) => this.resendAckFor(response));
  }

  static async connect(options: SipWsUaOptions): Promise<SipWsUa> {
    return new SipWsUa(await SipWsConnection.open({ ...options, ...options.socket }), options);
  }

  get aor(): string {
    return `sip:${this.options.username}@${this.options.domain}`;
  }

  /** REGISTER, answering one 401 challenge. Resolves with the final response (and the challenge, if any). */
  async register(expires = 600): Promise<{ challenge: SipResponse | undefined; final: SipResponse }> {
    const first = await this.connection.sendRequest(this.registerRequest(expires));
    if (first.status !== 401) return { challenge: undefined, final: first };
    const authorization = this.authorize(first, "WWW-Authenticate", "REGISTER", `sip:${this.options.domain}`);
    const final = await this.connection.sendRequest(
      this.registerRequest(expires, [{ name: "authorization", value: authorization }]),
    );
    return { challenge: first, final };
  }

  unregister(): Promise<{ challenge: SipResponse | undefined; final: SipResponse }> {
    return this.register(0);
  }

  /** INVITE `targetUser` with a WebRTC offer; answers a 407 once; ACKs the final response. */
  async call(targetUser: string, options: { offer?: string; callId?: string } = {}): Promise<CallAttempt> {
    const offer = options.offer ?? webrtcOffer();
    const callId = options.callId ?? randomToken(24);
    const fromTag = randomToken(10);
    const target = `sip:${targetUser}@${this.options.domain}`;
    const responses: SipResponse[] = [];
    const onProvisional = (response: SipResponse) => responses.push(response);
    let invite = this.inviteRequest(target, callId, fromTag, 1, offer);
    let response = await this.connection.sendRequest(invite, { onProvisional, timeoutMs: 60_000 });
    responses.push(response);
    if (response.status === 407 || response.status === 401) {
      this.sendNon2xxAck(invite, response);
      const headerName = response.status === 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
      const authorization = this.authorize(response, headerName, "INVITE", target);
      const authHeader = response.status === 407 ? "proxy-authorization" : "authorization";
      invite = this.inviteRequest(target, callId, fromTag, 2, offer, [
        { name: authHeader, value: authorization },
      ]);
      response = await this.connection.sendRequest(invite, { onProvisional, timeoutMs: 60_000 });
      responses.push(response);
    }
    if (response.status >= 300) {
      this.sendNon2xxAck(invite, response);
      return { response, responses, call: undefined };
    }
    const dialog = dialogFromResponse(invite, response);
    const ack = inDialogRequest(dialog, "ACK", this.context, { cseq: cseqOf(invite).seq });
    this.sentAcks.set(`${callId}/${cseqOf(invite).seq}`, ack);
    this.connection.send(ack);
    const call = new SipCall("outgoing", dialog, response.body, offer, this.connection, this.context);
    this.calls.set(callId, call);
    return { response, responses, call };
  }

  /** Resolves with the next incoming call this UA answered. */
  nextIncomingCall(timeoutMs = 20_000): Promise<SipCall> {
    const queued = this.incomingQueue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.incomingWaiters.indexOf(waiter);
        if (index !== -1) this.incomingWaiters.splice(index, 1);
        reject(new Error(`${this.options.username}: no incoming call within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (call: SipCall) => {
        clearTimeout(timer);
        resolve(call);
      };
      this.incomingWaiters.push(waiter);
    });
  }

  /** Out-of-dialog OPTIONS through the proxy. */
  sendOptions(targetUri: string): Promise<SipResponse> {
    const request = this.outOfDialogRequest("OPTIONS", targetUri, randomToken(20), randomToken(10), 1);
    return this.connection.sendRequest(request);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private authorize(challengeResponse: SipResponse, headerName: string, method: string, uri: string): string {
    const challenge = parseDigestChallenge(requireHeader(challengeResponse, headerName));
    return digestAuthorization(challenge, this.options, method, uri);
  }

  private outOfDialogRequest(
    method: string,
    uri: string,
    callId: string,
    fromTag: string,
    cseq: number,
    extraHeaders: SipHeader[] = [],
    body = "",
  ): SipRequest {
    const request = { method, uri, callId, cseq, body, extraHeaders };
    return outOfDialogRequest(this.context, this.aor, fromTag, request);
  }

  private registerRequest(expires: number, extraHeaders: SipHeader[] = []): SipRequest {
    return this.outOfDialogRequest(
      "REGISTER",
      `sip:${this.options.domain}`,
      this.registerCallId,
      this.registerFromTag,
      ++this.registerSeq,
      [
        { name: "contact", value: `${this.context.contact};expires=${expires}` },
        { name: "expires", value: String(expires) },
        { name: "allow", value: "INVITE,ACK,CANCEL,BYE,OPTIONS,INFO,UPDATE" },
        ...extraHeaders,
      ],
    );
  }

  private inviteRequest(
    target: string,
    callId: string,
    fromTag: string,
    cseq: number,
    offer: string,
    extraHeaders: SipHeader[] = [],
  ): SipRequest {
    return this.outOfDialogRequest(
      "INVITE",
      target,
      callId,
      fromTag,
      cseq,
      [{ name: "contact", value: this.context.contact }, ...extraHeaders],
      offer,
    );
  }

  private sendNon2xxAck(invite: SipRequest, response: SipResponse): void {
    this.connection.send(non2xxAck(invite, response));
  }

  private resendAckFor(response: SipResponse): void {
    const { seq, method } = cseqOf(response);
    if (method !== "INVITE" || response.status < 200 || response.status >= 300) return;
    const ack = this.sentAcks.get(`${requireHeader(response, "call-id")}/${seq}`);
    if (ack)
      this.connection.send({
        ...ack,
        headers: [viaHeader(this.context, newBranch()), ...ack.headers.slice(1)],
      });
  }

  private handleRequest(request: SipRequest): void {
    const callId = header(request, "call-id") ?? "";
    const existing = this.calls.get(callId);
    switch (request.method) {
      case "INVITE":
        if (tagOf(header(request, "to")) === undefined) this.handleNewInvite(request);
        else this.connection.send(responseTo(request, 488, "Not Acceptable Here"));
        return;
      case "ACK":
        existing?.handleAck(request);
        return;
      case "BYE":
        if (!existing) {
          this.connection.send(responseTo(request, 481, "Call/Transaction Does Not Exist"));
          return;
        }
        this.connection.send(responseTo(request, 200, "OK"));
        existing.handleBye(request);
        return;
      case "CANCEL":
        // INVITEs are answered (or rejected) at once, so there is never a pending one to cancel
        this.connection.send(responseTo(request, 481, "Call/Transaction Does Not Exist"));
        return;
      case "OPTIONS":
        this.connection.send(
          responseTo(request, 200, "OK", {
            extraHeaders: [{ name: "allow", value: "INVITE,ACK,CANCEL,BYE,OPTIONS,INFO,UPDATE" }],
          }),
        );
        return;
      case "INFO":
      case "UPDATE":
      case "NOTIFY":
        this.connection.send(responseTo(request, 200, "OK"));
        return;
      default:
        this.connection.send(responseTo(request, 405, "Method Not Allowed"));
    }
  }

  private handleNewInvite(invite: SipRequest): void {
    this.receivedInvites.push(invite);
    const policy = this.incomingPolicy;
    if (policy.action === "ignore") return;
    const localTag = randomToken(10);
    if (policy.action === "reject") {
      this.connection.send(responseTo(invite, policy.status, policy.reason, { toTag: localTag }));
      return;
    }
    const contact = this.context.contact;
    this.connection.send(responseTo(invite, 180, "Ringing", { toTag: localTag, contact }));
    const answer = webrtcAnswer(invite.body);
    this.connection.send(responseTo(invite, 200, "OK", { toTag: localTag, contact, body: answer }));
    const dialog = dialogFromRequest(invite, localTag);
    const call = new SipCall("incoming", dialog, invite.body, answer, this.connection, this.context);
    this.calls.set(dialog.callId, call);
    const waiter = this.incomingWaiters.shift();
    if (waiter) waiter(call);
    else this.incomingQueue.push(call);
  }
}
