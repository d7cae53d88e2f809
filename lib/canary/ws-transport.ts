import { type Core, type Emitter, EmitterImpl, type Transport, TransportState } from "sip.js";
import WebSocket from "ws";

// SIP.js's Transport interface over the `ws` package: SIP.js's own web Transport needs a browser WebSocket and
// cannot send an Origin or accept a lab's self-signed certificate. One socket per UserAgent; close() of the
// owner (run.ts) always ends with terminate(), so no connection outlives a run.

export type WsTransportOptions = {
  /** ws:// or wss:// URL of the gateway's SIP-over-WebSocket listener. */
  server: string;
  /** The Origin header a page of an allowed site sends. */
  origin: string;
  /** false accepts a self-signed certificate (a lab node whose setting says so). */
  verifyTls: boolean;
  /** WebSocket opening handshake timeout, ms. */
  connectTimeoutMs: number;
};

/** Why the socket did not open: HTTP status of a refused upgrade, or the socket error's message. */
export type ConnectFailure = { httpStatus: number | null; message: string };

export class WsTransport implements Transport {
  readonly stateChange: Emitter<TransportState> = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  /** Set when the connection failed before it opened. */
  failure: ConnectFailure | null = null;
  private ws: WebSocket | null = null;
  private current: TransportState = TransportState.Disconnected;
  private readonly options: WsTransportOptions;

  // SIP.js constructs it as `new transportConstructor(logger, transportOptions)`
  constructor(_logger: Core.Logger, options: WsTransportOptions) {
    this.options = options;
  }

  get state(): TransportState {
    return this.current;
  }

  /** "WSS" or "WS", for the Via header (SIP.js reads `protocol`). */
  get protocol(): string {
    return this.options.server.startsWith("wss:") ? "WSS" : "WS";
  }

  private setState(next: TransportState, error?: Error): void {
    if (this.current === next) return;
    this.current = next;
    if (next === TransportState.Connected) this.onConnect?.();
    if (next === TransportState.Disconnected) this.onDisconnect?.(error);
    (this.stateChange as EmitterImpl<TransportState>).emit(next);
  }

  connect(): Promise<void> {
    if (this.ws) return Promise.resolve();
    this.setState(TransportState.Connecting);
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.options.server, "sip", {
        origin: this.options.origin,
        rejectUnauthorized: this.options.verifyTls,
        handshakeTimeout: this.options.connectTimeoutMs,
      });
      this.ws = ws;
      ws.on("unexpected-response", (_request, response) => {
        this.failure = {
          httpStatus: response.statusCode ?? null,
          message: `HTTP ${response.statusCode} ${response.statusMessage ?? ""}`.trim(),
        };
        ws.terminate();
      });
      ws.on("open", () => {
        this.setState(TransportState.Connected);
        resolve();
      });
      ws.on("message", (data, isBinary) => {
        if (!isBinary) this.onMessage?.(data.toString());
      });
      ws.on("error", (error) => {
        this.failure ??= { httpStatus: null, message: error.message };
      });
      ws.on("close", () => {
        this.ws = null;
        const failure = this.failure ? new Error(this.failure.message) : undefined;
        if (this.current === TransportState.Connecting) reject(failure ?? new Error("WebSocket closed"));
        this.setState(TransportState.Disconnected, failure);
      });
    });
  }

  async disconnect(): Promise<void> {
    this.terminate();
  }

  async dispose(): Promise<void> {
    this.terminate();
  }

  /** Drops the TCP connection at once (no close handshake to wait for). */
  terminate(): void {
    const ws = this.ws;
    if (!ws) return;
    ws.terminate();
  }

  isConnected(): boolean {
    return this.current === TransportState.Connected;
  }

  async send(message: string): Promise<void> {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) throw new Error("WebSocket not open");
    this.ws.send(message);
  }
}
