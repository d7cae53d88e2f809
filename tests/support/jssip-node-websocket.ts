import WebSocket from "ws";

// JsSIP's WebSocketInterface opens its transport with `new WebSocket(url, "sip")` on the *global*
// WebSocket, which Node 20 does not have. This installs one built on the `ws` package that does what a
// browser would do for a page served from an allowed origin: it sends the Origin header. It also accepts the
// lab's self-signed WSS certificate, which is why it refuses any URL that is not one of the lab's endpoints.
// Besides that it only takes notes (handshake status, SIP frames received) for the tests to read.

export interface ShimConnection {
  readonly url: string;
  readonly origin: string;
  /** HTTP status of the WebSocket handshake: 101 when upgraded, the refusal's status otherwise. */
  status?: number;
  /** SIP messages the gateway sent on this connection, in order. */
  readonly received: string[];
  closed: boolean;
}

export interface JsSipWebSocketShim {
  /** Every WebSocket JsSIP opened while the shim was installed, in order. */
  readonly connections: ShimConnection[];
  /** Puts back whatever global WebSocket was there before. */
  restore(): void;
}

export interface JsSipWebSocketShimOptions {
  /** Origin header to send (a browser sends the page's origin). */
  origin: string;
  /** The lab's ws:// and wss:// URLs: the only ones the shim connects to. */
  labUrls: readonly string[];
}

export function installJsSipWebSocket(options: JsSipWebSocketShimOptions): JsSipWebSocketShim {
  const connections: ShimConnection[] = [];

  class LabWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      if (!options.labUrls.includes(url)) {
        throw new Error(`the JsSIP WebSocket shim only connects to the lab (${options.labUrls.join(", ")})`);
      }
      // rejectUnauthorized: false is for the lab's self-signed certificate; the check above keeps it there
      super(url, protocols, { origin: options.origin, rejectUnauthorized: false });
      const connection: ShimConnection = { url, origin: options.origin, received: [], closed: false };
      connections.push(connection);
      this.on("upgrade", (response) => {
        connection.status = response.statusCode;
      });
      // Listening for this event takes over ws's default handling of a refused handshake, so note the status
      // and then fail the socket the way ws would have (error + close 1006, which JsSIP sees).
      this.on("unexpected-response", (_request, response) => {
        connection.status = response.statusCode;
        this.terminate();
      });
      this.on("message", (data, isBinary) => {
        if (!isBinary) connection.received.push(data.toString());
      });
      this.on("close", () => {
        connection.closed = true;
      });
    }
  }

  const previous = Object.getOwnPropertyDescriptor(globalThis, "WebSocket");
  Object.defineProperty(globalThis, "WebSocket", { value: LabWebSocket, configurable: true, writable: true });
  return {
    connections,
    restore() {
      if (previous) Object.defineProperty(globalThis, "WebSocket", previous);
      else Reflect.deleteProperty(globalThis, "WebSocket");
    },
  };
}
