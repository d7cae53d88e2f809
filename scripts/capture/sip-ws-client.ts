// A deliberately small SIP-over-WebSocket user agent for capturing RPC fixtures: REGISTER with digest,
// one outgoing INVITE (with 407 handling and ACK), auto-answering incoming INVITEs, BYE.
import WebSocket from "ws";
import {
  buildSipMessage,
  digestAnswer,
  header,
  headerAll,
  parseSipMessage,
  randomToken,
  type SipMessage,
  tagOf,
  uriOf,
  webrtcSdp,
} from "./sip-message";

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
  /** Final status of the INVITE (after any 407 retry). */
  status: number;
  byeRouteSet: string[];
  remoteTarget: string | undefined;
  fromTag: string;
  toHeader: string | undefined;
  cseq: number;
}

type ResponseWaiter = (message: SipMessage) => void;

export class SipWsClient {
  private readonly waiters = new Map<string, ResponseWaiter>();
  private readonly host = `${randomToken(5)}.invalid`;
  private readonly transport: "WS" | "WSS";
  private registerCallId = `${randomToken()}@kamdash`;
  private registerCseq = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly options: SipWsClientOptions,
  ) {
    this.transport = options.url.startsWith("wss:") ? "WSS" : "WS";
    ws.on("message", (data) => this.onMessage(parseSipMessage(data.toString())));
  }

  static connect(options: SipWsClientOptions): Promise<SipWsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(options.url, "sip", {
        headers: { Origin: options.origin },
        rejectUnauthorized: false,
        handshakeTimeout: 5_000,
      });
      ws.once("open", () => resolve(new SipWsClient(ws, options)));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`handshake refused: HTTP ${res.statusCode}`)),
      );
    });
  }

  private get contact(): string {
    return `<sip:${this.options.username}@${this.host};transport=${this.transport.toLowerCase()}>`;
  }

  private get aor(): string {
    return `sip:${this.options.username}@${this.options.domain}`;
  }

  private via(branch: string): string {
    return `SIP/2.0/${this.transport} ${this.host};branch=${branch};rport`;
  }

  private send(text: string): void {
    this.ws.send(text);
  }

  /** Sends a request and resolves with its first final response (provisional ones are passed to onProvisional). */
  private request(
    firstLine: string,
    headers: [string, string][],
    body = "",
    onProvisional?: (message: SipMessage) => void,
  ): Promise<SipMessage> {
    const branch = `z9hG4bK${randomToken()}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(branch);
        reject(new Error(`no final response to ${firstLine}`));
      }, 10_000);
      this.waiters.set(branch, (message) => {
        if ((message.status ?? 0) < 200) {
          onProvisional?.(message);
          return;
        }
        clearTimeout(timer);
        this.waiters.delete(branch);
        resolve(message);
      });
      this.send(
        buildSipMessage(firstLine, [["Via", this.via(branch)], ["Max-Forwards", "70"], ...headers], body),
      );
    });
  }

  async register(expires = 600): Promise<number> {
    let authorization: [string, string][] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      this.registerCseq += 1;
      const reply = await this.request(`REGISTER sip:${this.options.domain} SIP/2.0`, [
        ["From", `<${this.aor}>;tag=${randomToken(4)}`],
        ["To", `<${this.aor}>`],
        ["Call-ID", this.registerCallId],
        ["CSeq", `${this.registerCseq} REGISTER`],
        ["Contact", `${this.contact};expires=${expires}`],
        ["User-Agent", this.options.userAgent ?? "kamdash-capture/1.0"],
        ...authorization,
      ]);
      if (reply.status !== 401) return reply.status ?? 0;
      const challenge = header(reply, "www-authenticate") ?? "";
      authorization = [
        ["Authorization", digestAnswer(challenge, this.options, "REGISTER", `sip:${this.options.domain}`)],
      ];
    }
    return 401;
  }

  /** Calls `targetUser`; resolves once the INVITE got a final answer (and the 2xx was ACKed). */
  async invite(targetUser: string): Promise<OutgoingCall> {
    const callId = `${randomToken()}@kamdash`;
    const fromTag = randomToken(4);
    const ruri = `sip:${targetUser}@${this.options.domain}`;
    const sdp = webrtcSdp(String(Date.now()), "actpass");
    let cseq = 0;
    let auth: [string, string][] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      cseq += 1;
      const common: [string, string][] = [
        ["From", `<${this.aor}>;tag=${fromTag}`],
        ["To", `<${ruri}>`],
        ["Call-ID", callId],
      ];
      const reply = await this.request(
        `INVITE ${ruri} SIP/2.0`,
        [
          ...common,
          ["CSeq", `${cseq} INVITE`],
          ["Contact", this.contact],
          ["Content-Type", "application/sdp"],
          ...auth,
        ],
        sdp,
      );
      const status = reply.status ?? 0;
      if (status >= 300) {
        // Non-2xx final responses are ACKed hop-by-hop with the INVITE's branch (the first Via).
        const via = header(reply, "via") ?? "";
        this.send(
          buildSipMessage(`ACK ${ruri} SIP/2.0`, [
            ["Via", via],
            ["Max-Forwards", "70"],
            ["From", `<${this.aor}>;tag=${fromTag}`],
            ["To", header(reply, "to") ?? `<${ruri}>`],
            ["Call-ID", callId],
            ["CSeq", `${cseq} ACK`],
          ]),
        );
        if (status === 407 && attempt === 0) {
          const challenge = header(reply, "proxy-authenticate") ?? "";
          auth = [["Proxy-Authorization", digestAnswer(challenge, this.options, "INVITE", ruri)]];
          continue;
        }
        return {
          callId,
          status,
          byeRouteSet: [],
          remoteTarget: undefined,
          fromTag,
          toHeader: undefined,
          cseq,
        };
      }
      const routeSet = headerAll(reply, "record-route").reverse();
      const remoteTarget = uriOf(header(reply, "contact"));
      const toHeader = header(reply, "to");
      this.sendInDialog("ACK", { callId, fromTag, toHeader, routeSet, remoteTarget, cseq });
      return { callId, status, byeRouteSet: routeSet, remoteTarget, fromTag, toHeader, cseq };
    }
    throw new Error("INVITE was challenged twice");
  }

  async bye(call: OutgoingCall): Promise<number> {
    const reply = await this.request(
      `BYE ${call.remoteTarget ?? ""} SIP/2.0`,
      this.dialogHeaders({ ...call, routeSet: call.byeRouteSet, cseq: call.cseq + 1 }, "BYE"),
    );
    return reply.status ?? 0;
  }

  private dialogHeaders(
    d: { callId: string; fromTag: string; toHeader: string | undefined; routeSet: string[]; cseq: number },
    method: string,
  ): [string, string][] {
    return [
      ["From", `<${this.aor}>;tag=${d.fromTag}`],
      ["To", d.toHeader ?? ""],
      ["Call-ID", d.callId],
      ["CSeq", `${d.cseq} ${method}`],
      ...d.routeSet.map((route): [string, string] => ["Route", route]),
    ];
  }

  private sendInDialog(
    method: "ACK",
    d: {
      callId: string;
      fromTag: string;
      toHeader: string | undefined;
      routeSet: string[];
      remoteTarget: string | undefined;
      cseq: number;
    },
  ): void {
    const branch = `z9hG4bK${randomToken()}`;
    this.send(
      buildSipMessage(`${method} ${d.remoteTarget ?? ""} SIP/2.0`, [
        ["Via", this.via(branch)],
        ["Max-Forwards", "70"],
        ...this.dialogHeaders(d, method),
      ]),
    );
  }

  private onMessage(message: SipMessage): void {
    if (message.status !== undefined) {
      const branch = /branch=([^;,\s]+)/.exec(header(message, "via") ?? "")?.[1];
      if (branch) this.waiters.get(branch)?.(message);
      return;
    }
    if (message.method === "INVITE") this.answerInvite(message);
    else if (message.method === "BYE" || message.method === "OPTIONS") this.reply(message, 200, "OK");
  }

  private answerInvite(invite: SipMessage): void {
    const toTag = randomToken(4);
    this.reply(invite, 180, "Ringing", toTag);
    if (this.options.onInvite !== "answer") return;
    const sdp = webrtcSdp(String(Date.now()), "active");
    this.reply(invite, 200, "OK", toTag, sdp);
  }

  private reply(request: SipMessage, status: number, reason: string, toTag?: string, sdp?: string): void {
    const to = header(request, "to") ?? "";
    const headers: [string, string][] = [
      ...headerAll(request, "via").map((v): [string, string] => ["Via", v]),
      ["From", header(request, "from") ?? ""],
      ["To", toTag && !tagOf(to) ? `${to};tag=${toTag}` : to],
      ["Call-ID", header(request, "call-id") ?? ""],
      ["CSeq", header(request, "cseq") ?? ""],
    ];
    if (request.method === "INVITE") {
      headers.push(...headerAll(request, "record-route").map((r): [string, string] => ["Record-Route", r]));
      headers.push(["Contact", this.contact]);
    }
    if (sdp) headers.push(["Content-Type", "application/sdp"]);
    this.send(buildSipMessage(`SIP/2.0 ${status} ${reason}`, headers, sdp ?? ""));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }
}
