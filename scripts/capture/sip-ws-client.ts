// A deliberately small SIP-over-WebSocket user agent for capturing RPC fixtures: REGISTER with digest,
// outgoing INVITE (407 retry, ACK, CANCEL, BYE), incoming INVITEs rung or answered, CANCEL/BYE answered.
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

export interface Dialog {
  callId: string;
  fromTag: string;
  toHeader: string;
  routeSet: string[];
  remoteTarget: string;
  cseq: number;
}

export interface OutgoingCall {
  callId: string;
  /** Final status of the INVITE (after a 407 retry), or of the CANCELled INVITE (487). */
  final: Promise<{ status: number; dialog: Dialog | undefined }>;
  /** Cancels the INVITE while it is still ringing. */
  cancel(): Promise<number>;
}

type Header = [string, string];
const TIMEOUT_MS = 10_000;

export class SipWsClient {
  private readonly waiters = new Map<string, (message: SipMessage) => void>();
  private readonly ringing = new Map<string, { invite: SipMessage; toTag: string }>();
  private readonly host = `${randomToken(5)}.invalid`;
  private readonly transport: "WS" | "WSS";
  private readonly registerCallId = `${randomToken()}@kamdash`;
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

  /** Sends a request on `branch`; resolves with its first final response (provisionals go to onProvisional). */
  private request(
    method: string,
    uri: string,
    branch: string,
    headers: Header[],
    body = "",
    onProvisional?: (message: SipMessage) => void,
  ): Promise<SipMessage> {
    const key = `${branch} ${method}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(new Error(`no final response to ${method} ${uri}`));
      }, TIMEOUT_MS);
      this.waiters.set(key, (message) => {
        if ((message.status ?? 0) < 200) return onProvisional?.(message);
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve(message);
      });
      const all: Header[] = [["Via", this.via(branch)], ["Max-Forwards", "70"], ...headers];
      this.ws.send(buildSipMessage(`${method} ${uri} SIP/2.0`, all, body));
    });
  }

  async register(expires = 600): Promise<number> {
    let authorization: Header[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      this.registerCseq += 1;
      const registrar = `sip:${this.options.domain}`;
      const reply = await this.request("REGISTER", registrar, `z9hG4bK${randomToken()}`, [
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
      authorization = [["Authorization", digestAnswer(challenge, this.options, "REGISTER", registrar)]];
    }
    return 401;
  }

  /** Starts a call to `targetUser`; `final` settles once the INVITE has a final answer (a 2xx is ACKed). */
  invite(targetUser: string): OutgoingCall {
    const callId = `${randomToken()}@kamdash`;
    const fromTag = randomToken(4);
    const ruri = `sip:${targetUser}@${this.options.domain}`;
    const from: Header = ["From", `<${this.aor}>;tag=${fromTag}`];
    let current = { branch: "", cseq: 0 };
    let sawProvisional: () => void = () => undefined;
    const provisional = new Promise<void>((resolve) => {
      sawProvisional = resolve;
    });

    const run = async (): Promise<{ status: number; dialog: Dialog | undefined }> => {
      let auth: Header[] = [];
      for (let attempt = 0; attempt < 2; attempt++) {
        current = { branch: `z9hG4bK${randomToken()}`, cseq: attempt + 1 };
        const headers: Header[] = [
          from,
          ["To", `<${ruri}>`],
          ["Call-ID", callId],
          ["CSeq", `${current.cseq} INVITE`],
          ["Contact", this.contact],
          ["Content-Type", "application/sdp"],
          ...auth,
        ];
        const sdp = webrtcSdp(String(Date.now()), "actpass");
        const onProvisional = (m: SipMessage) => m.status !== 100 && sawProvisional();
        const reply = await this.request("INVITE", ruri, current.branch, headers, sdp, onProvisional);
        const status = reply.status ?? 0;
        if (status >= 300) {
          // A non-2xx final response is ACKed within the INVITE transaction (same branch, same Via).
          const ack: Header[] = [["Via", this.via(current.branch)], ["Max-Forwards", "70"], from];
          ack.push(["To", header(reply, "to") ?? ""], ["Call-ID", callId], ["CSeq", `${current.cseq} ACK`]);
          this.ws.send(buildSipMessage(`ACK ${ruri} SIP/2.0`, ack));
          if (status !== 407 || attempt > 0) return { status, dialog: undefined };
          const challenge = header(reply, "proxy-authenticate") ?? "";
          auth = [["Proxy-Authorization", digestAnswer(challenge, this.options, "INVITE", ruri)]];
          continue;
        }
        const dialog: Dialog = {
          callId,
          fromTag,
          toHeader: header(reply, "to") ?? "",
          routeSet: headerAll(reply, "record-route").reverse(),
          remoteTarget: uriOf(header(reply, "contact")) ?? ruri,
          cseq: current.cseq,
        };
        const ack: Header[] = [
          ["Via", this.via(`z9hG4bK${randomToken()}`)],
          ["Max-Forwards", "70"],
        ];
        ack.push(...this.inDialog(dialog, "ACK"));
        this.ws.send(buildSipMessage(`ACK ${dialog.remoteTarget} SIP/2.0`, ack));
        return { status, dialog };
      }
      throw new Error("unreachable: the INVITE loop always returns");
    };

    const cancel = async (): Promise<number> => {
      await provisional; // CANCEL is only allowed once the INVITE got a provisional response
      const headers: Header[] = [
        from,
        ["To", `<${ruri}>`],
        ["Call-ID", callId],
        ["CSeq", `${current.cseq} CANCEL`],
      ];
      return (await this.request("CANCEL", ruri, current.branch, headers)).status ?? 0;
    };

    return { callId, final: run(), cancel };
  }

  async bye(dialog: Dialog): Promise<number> {
    dialog.cseq += 1;
    const branch = `z9hG4bK${randomToken()}`;
    return (await this.request("BYE", dialog.remoteTarget, branch, this.inDialog(dialog, "BYE"))).status ?? 0;
  }

  private inDialog(d: Dialog, method: string): Header[] {
    return [
      ["From", `<${this.aor}>;tag=${d.fromTag}`],
      ["To", d.toHeader],
      ["Call-ID", d.callId],
      ["CSeq", `${d.cseq} ${method}`],
      ...d.routeSet.map((route): Header => ["Route", route]),
    ];
  }

  private onMessage(message: SipMessage): void {
    if (message.status !== undefined) {
      const branch = /branch=([^;,\s]+)/.exec(header(message, "via") ?? "")?.[1];
      const method = (header(message, "cseq") ?? "").split(/\s+/)[1];
      this.waiters.get(`${branch} ${method}`)?.(message);
      return;
    }
    const callId = header(message, "call-id") ?? "";
    if (message.method === "INVITE") {
      const toTag = randomToken(4);
      this.reply(message, 180, "Ringing", toTag);
      if (this.options.onInvite === "answer")
        this.reply(message, 200, "OK", toTag, webrtcSdp(String(Date.now()), "active"));
      else this.ringing.set(callId, { invite: message, toTag });
    } else if (message.method === "CANCEL") {
      this.reply(message, 200, "OK");
      const pending = this.ringing.get(callId);
      this.ringing.delete(callId);
      if (pending) this.reply(pending.invite, 487, "Request Terminated", pending.toTag);
    } else if (message.method === "BYE" || message.method === "OPTIONS") {
      this.reply(message, 200, "OK");
    }
  }

  private reply(request: SipMessage, status: number, reason: string, toTag?: string, sdp?: string): void {
    const to = header(request, "to") ?? "";
    const headers: Header[] = [
      ...headerAll(request, "via").map((v): Header => ["Via", v]),
      ["From", header(request, "from") ?? ""],
      ["To", toTag && !tagOf(to) ? `${to};tag=${toTag}` : to],
      ["Call-ID", header(request, "call-id") ?? ""],
      ["CSeq", header(request, "cseq") ?? ""],
    ];
    if (request.method === "INVITE" && status < 300) {
      headers.push(...headerAll(request, "record-route").map((r): Header => ["Record-Route", r]));
      headers.push(["Contact", this.contact]);
    }
    if (sdp) headers.push(["Content-Type", "application/sdp"]);
    this.ws.send(buildSipMessage(`SIP/2.0 ${status} ${reason}`, headers, sdp ?? ""));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }
}
