import WebSocket from "ws";
import {
  describe as describeMessage,
  header,
  parseSipMessage,
  randomToken,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  serializeSipMessage,
  topViaBranch,
} from "./sip-message";

// One SIP-over-WebSocket connection (RFC 7118) with client-transaction matching by Via branch and CSeq method.

export interface SipWsConnectionOptions {
  url: string;
  origin: string;
  connectTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /** Local address to bind the TCP socket to (e.g. 127.1.0.7: many loopback sources, no port exhaustion). */
  localAddress?: string;
}

/** What a user agent may set on its connection's socket. */
export type SipWsSocketOptions = Pick<SipWsConnectionOptions, "localAddress" | "connectTimeoutMs">;

interface PendingTransaction {
  resolve: (response: SipResponse) => void;
  reject: (error: Error) => void;
  onProvisional?: (response: SipResponse) => void;
  timer: NodeJS.Timeout;
}

export interface SendRequestOptions {
  onProvisional?: (response: SipResponse) => void;
  timeoutMs?: number;
}

/** RFC 3261 §17.1.3: a response belongs to the client transaction with its top Via branch and CSeq method. */
function transactionKey(message: SipMessage): string | undefined {
  const branch = topViaBranch(message);
  const method = header(message, "cseq")?.split(/\s+/)[1];
  return branch === undefined || method === undefined ? undefined : `${branch} ${method}`;
}

export class SipWsConnection {
  /** "WS" or "WSS", as written in Via. */
  readonly viaTransport: "WS" | "WSS";
  /** Random `.invalid` host used in Via and Contact, as browsers do. */
  readonly viaHost = `${randomToken(12)}.invalid`;
  readonly log: { direction: "in" | "out"; message: SipMessage }[] = [];
  readonly closed: Promise<void>;
  /** The client's local TCP port (what Kamailio lists as the connection's source port). */
  get localPort(): number | undefined {
    return (this.socket as unknown as { _socket?: { localPort?: number } })._socket?.localPort;
  }

  private readonly pending = new Map<string, PendingTransaction>();
  private requestHandler: (request: SipRequest) => void = () => {};
  private strayResponseHandler: (response: SipResponse) => void = () => {};

  private constructor(
    private readonly socket: WebSocket,
    private readonly transactionTimeoutMs: number,
  ) {
    this.viaTransport = socket.url.startsWith("wss:") ? "WSS" : "WS";
    socket.on("message", (data, isBinary) => this.receive(data, isBinary));
    this.closed = new Promise((resolve) => {
      socket.once("close", () => {
        for (const [key, transaction] of this.pending) {
          clearTimeout(transaction.timer);
          transaction.reject(new Error(`WebSocket closed before a final response (${key})`));
        }
        this.pending.clear();
        resolve();
      });
    });
  }

  static open(options: SipWsConnectionOptions): Promise<SipWsConnection> {
    const socket = new WebSocket(options.url, "sip", {
      origin: options.origin,
      rejectUnauthorized: false, // the lab's certificate is self-signed
      handshakeTimeout: options.connectTimeoutMs ?? 10_000,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    return new Promise((resolve, reject) => {
      socket.once("open", () => {
        if (socket.protocol !== "sip") {
          socket.terminate();
          reject(new Error(`server accepted sub-protocol "${socket.protocol}", expected "sip"`));
          return;
        }
        resolve(new SipWsConnection(socket, options.transactionTimeoutMs ?? 20_000));
      });
      socket.once("unexpected-response", (_request, response) => {
        socket.terminate();
        reject(new Error(`WebSocket handshake refused with HTTP ${response.statusCode}`));
      });
      socket.once("error", reject);
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  onRequest(handler: (request: SipRequest) => void): void {
    this.requestHandler = handler;
  }

  /** Responses that match no pending transaction (e.g. 2xx retransmissions after ACK). */
  onStrayResponse(handler: (response: SipResponse) => void): void {
    this.strayResponseHandler = handler;
  }

  send(message: SipMessage): void {
    if (!this.isOpen) throw new Error(`cannot send ${describeMessage(message)}: WebSocket not open`);
    this.log.push({ direction: "out", message });
    this.socket.send(serializeSipMessage(message));
  }

  /** Sends a request and resolves with its final response. */
  sendRequest(request: SipRequest, options: SendRequestOptions = {}): Promise<SipResponse> {
    const key = transactionKey(request);
    if (!key) throw new Error("request without Via branch or CSeq");
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.transactionTimeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error(`no final response to ${describeMessage(request)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(key, { resolve, reject, onProvisional: options.onProvisional, timer });
      try {
        this.send(request);
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(key);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Graceful close (WebSocket close frame). */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000);
    }
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.terminate();
    await this.closed;
  }

  /** Abrupt close: destroys the TCP socket without a close frame, like a browser tab killed. */
  terminate(): Promise<void> {
    this.socket.terminate();
    return this.closed;
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data as ArrayBuffer).toString("utf8");
    let message: SipMessage;
    try {
      message = parseSipMessage(text);
    } catch (error) {
      console.error(`sip-ws: unparsable ${isBinary ? "binary" : "text"} frame`, error);
      return;
    }
    this.log.push({ direction: "in", message });
    if (message.kind === "request") {
      this.requestHandler(message);
      return;
    }
    const key = transactionKey(message);
    const transaction = key === undefined ? undefined : this.pending.get(key);
    if (!transaction || key === undefined) {
      this.strayResponseHandler(message);
      return;
    }
    if (message.status < 200) {
      transaction.onProvisional?.(message);
      return;
    }
    clearTimeout(transaction.timer);
    this.pending.delete(key);
    transaction.resolve(message);
  }
}
