import net from "node:net";
import tls from "node:tls";
import JsSIP from "jssip";
import WebSocket from "ws";
import { z } from "zod";
import type { HandshakeAttempt, HandshakeOutcome } from "./attempt";

export type { HandshakeAttempt, HandshakeOutcome } from "./attempt";

// The seed's second health rule: WebSocket handshake latency under 500 ms. Kamailio keeps no statistic for it, so
// kamdash measures it actively, as a browser would meet it: TCP connect, TLS handshake (WSS), the HTTP upgrade
// with an Origin, then a SIP OPTIONS round trip over the new socket (sent by JsSIP, answered by the gateway).

export const HandshakeTargetSchema = z.object({
  /** ws:// or wss:// URL of the gateway's SIP-over-WebSocket listener. */
  url: z.string().regex(/^wss?:\/\//, "a ws:// or wss:// URL"),
  /** The Origin header a page on an allowed site sends. */
  origin: z.string().url(),
  /** SIP domain for the OPTIONS Request-URI (sip:<domain>). */
  sipDomain: z.string().min(1),
  /** Whole attempt, ms. */
  timeoutMs: z.number().int().positive().default(5000),
  /** false accepts a self-signed certificate (a lab); the attempt still measures the TLS handshake. */
  verifyTls: z.boolean().default(true),
});
export type HandshakeTarget = z.input<typeof HandshakeTargetSchema>;

/** UA.sendOptions exists in JsSIP 3.13 (lib/UA.js) but is missing from its type declarations. */
type OptionsSender = {
  sendOptions(
    target: JsSIP.URI,
    body: string | null,
    options: { eventHandlers: Record<string, (e: never) => void> },
  ): void;
};

type Marks = {
  start: number;
  tcp?: number;
  tls?: number;
  upgrade?: number;
  optionsSent?: number;
  optionsReply?: number;
};

/** JsSIP's transport interface over a WebSocket we open ourselves, so each phase of the handshake is timed. */
class TimedSocket {
  ws: WebSocket | null = null;
  via_transport: string;
  httpStatus: number | null = null;
  failure: { outcome: HandshakeOutcome; reason: string } | null = null;
  onconnect: () => void = () => undefined;
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => undefined;
  ondata: (data: string) => void = () => undefined;

  constructor(
    readonly url: string,
    private readonly target: z.output<typeof HandshakeTargetSchema>,
    private readonly marks: Marks,
  ) {
    this.via_transport = url.startsWith("wss:") ? "WSS" : "WS";
  }

  get sip_uri(): string {
    const { hostname, port } = new URL(this.url);
    return `sip:${hostname}${port ? `:${port}` : ""};transport=ws`;
  }

  connect(): void {
    const marks = this.marks;
    const timed = (socket: net.Socket) => {
      socket.once("connect", () => {
        marks.tcp = performance.now();
      });
      socket.once("secureConnect", () => {
        marks.tls = performance.now();
      });
      return socket;
    };
    const ws = new WebSocket(this.url, "sip", {
      origin: this.target.origin,
      rejectUnauthorized: this.target.verifyTls,
      handshakeTimeout: this.target.timeoutMs,
      createConnection: (options: net.NetConnectOpts & tls.ConnectionOptions) =>
        timed(this.url.startsWith("wss:") ? tls.connect(options) : net.connect(options)),
    } as WebSocket.ClientOptions);
    this.ws = ws;
    ws.on("upgrade", (response) => {
      marks.upgrade = performance.now();
      this.httpStatus = response.statusCode ?? null;
    });
    ws.on("unexpected-response", (_request, response) => {
      this.httpStatus = response.statusCode ?? null;
      this.failure = {
        outcome: "http_error",
        reason: `HTTP ${response.statusCode} ${response.statusMessage ?? ""}`.trim(),
      };
      ws.terminate();
    });
    ws.on("open", () => this.onconnect());
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      if (marks.optionsSent !== undefined && marks.optionsReply === undefined)
        marks.optionsReply = performance.now();
      this.ondata(data.toString());
    });
    ws.on("error", (error: NodeJS.ErrnoException) => {
      this.failure ??= classify(error);
    });
    ws.on("close", (code, reason) => this.ondisconnect(code !== 1000, code, reason.toString()));
  }

  disconnect(): void {
    this.ws?.close();
  }

  send(message: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    if (message.startsWith("OPTIONS ")) this.marks.optionsSent ??= performance.now();
    this.ws.send(message);
    return true;
  }

  isConnected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  isConnecting(): boolean {
    return this.ws?.readyState === WebSocket.CONNECTING;
  }
}

function classify(error: NodeJS.ErrnoException): { outcome: HandshakeOutcome; reason: string } {
  if (error.code === "ECONNREFUSED") return { outcome: "refused", reason: "connection refused" };
  if (
    error.code?.startsWith("ERR_TLS") ||
    error.code === "EPROTO" ||
    /certificate|SSL|TLS/i.test(error.message)
  ) {
    return { outcome: "tls_error", reason: `TLS: ${error.message}` };
  }
  if (/timed out|timeout/i.test(error.message)) return { outcome: "timeout", reason: error.message };
  return { outcome: "error", reason: error.message };
}

const round = (ms: number | undefined | null) =>
  ms === undefined || ms === null ? null : Math.round(ms * 10) / 10;

/**
 * One handshake attempt against a gateway's WS/WSS listener. Never throws: every failure is an attempt with its
 * outcome and reason (refused, TLS error, HTTP 403 for an Origin not allowed, timeout with the phase, SIP error).
 */
export async function probeHandshake(input: HandshakeTarget): Promise<HandshakeAttempt> {
  const target = HandshakeTargetSchema.parse(input);
  const marks: Marks = { start: performance.now() };
  const at = new Date().toISOString();
  const socket = new TimedSocket(target.url, target, marks);
  const ua = new JsSIP.UA({
    uri: `sip:kamdash-probe@${target.sipDomain}`,
    sockets: [socket as unknown as JsSIP.Socket], // TimedSocket implements JsSIP's Socket interface
    register: false,
    connection_recovery_min_interval: 3600,
    connection_recovery_max_interval: 3600,
    user_agent: "kamdash handshake probe",
  });
  const result = await new Promise<{ sipStatus: number | null; failure: HandshakeAttempt["reason"] }>(
    (resolve) => {
      const timer = setTimeout(() => resolve({ sipStatus: null, failure: "timeout" }), target.timeoutMs);
      const done = (value: { sipStatus: number | null; failure: string | null }) => {
        clearTimeout(timer);
        resolve(value);
      };
      ua.on("connected", () => {
        // a URI object: a plain "sip:domain" string would be read as a user name at the UA's domain
        (ua as unknown as OptionsSender).sendOptions(JsSIP.URI.parse(`sip:${target.sipDomain}`), null, {
          eventHandlers: {
            succeeded: (e: { response: { status_code: number } }) =>
              done({ sipStatus: e.response.status_code, failure: null }),
            failed: (e: { cause: string; response?: { status_code: number } | null }) =>
              done({ sipStatus: e.response?.status_code ?? null, failure: `SIP OPTIONS: ${e.cause}` }),
          },
        });
      });
      ua.on("disconnected", () => done({ sipStatus: null, failure: "disconnected" }));
      ua.start();
    },
  );
  ua.stop();
  socket.ws?.terminate();

  const since = (mark: number | undefined) => (mark === undefined ? null : mark - marks.start);
  const tcp = since(marks.tcp);
  const tls = marks.tls === undefined || marks.tcp === undefined ? null : marks.tls - marks.tcp;
  const upgradeFrom = marks.tls ?? marks.tcp;
  const upgrade =
    marks.upgrade === undefined || upgradeFrom === undefined ? null : marks.upgrade - upgradeFrom;
  const options =
    marks.optionsReply === undefined || marks.optionsSent === undefined
      ? null
      : marks.optionsReply - marks.optionsSent;
  let outcome: HandshakeOutcome = "ok";
  let reason: string | null = null;
  if (socket.failure) ({ outcome, reason } = socket.failure);
  else if (result.failure === "timeout") {
    outcome = "timeout";
    const phase =
      marks.tcp === undefined ? "TCP connect" : marks.upgrade === undefined ? "handshake" : "SIP OPTIONS";
    reason = `no answer within ${target.timeoutMs} ms (during ${phase})`;
  } else if (result.failure !== null) [outcome, reason] = ["sip_error", result.failure];
  else if (result.sipStatus === null || result.sipStatus >= 300)
    [outcome, reason] = ["sip_error", `SIP ${result.sipStatus}`];
  return {
    at,
    url: target.url,
    outcome,
    reason,
    tcpMs: round(tcp),
    tlsMs: round(tls),
    upgradeMs: round(upgrade),
    optionsMs: round(options),
    handshakeMs: round(since(marks.upgrade)),
    httpStatus: socket.httpStatus,
    sipStatus: result.sipStatus,
  };
}
