import net from "node:net";
import tls from "node:tls";

/**
 * A byte relay that lets plain-TCP SIPp act as a SIP-over-TLS (or TCP) phone that keeps its connection:
 * - Debian's SIPp is built without OpenSSL (`-t l1` fails), so SIPp speaks TCP to this relay and the
 *   relay speaks TLS to the gateway: Kamailio sees a real TLS connection;
 * - the gateway registers TCP/TLS contacts at the connection's source address (fix_nated_register) and
 *   sends calls back over that same connection, like a phone behind NAT. The relay therefore keeps one
 *   upstream connection open after the local client (e.g. a REGISTER scenario) goes away, and delivers
 *   what the gateway sends while no local client is attached to `inboundPort` (a SIPp UAS on TCP).
 */
export class SipStreamRelay {
  /** Resolves when the upstream connection to the gateway closed. */
  readonly upstreamClosed: Promise<void>;
  inboundPort: number | undefined;

  private downstream: net.Socket | undefined;
  private readonly queuedForDownstream: Buffer[] = [];
  private readonly localClients = new Set<net.Socket>();
  private connectingInbound = false;
  private markUpstreamClosed: () => void = () => {};

  private constructor(
    private readonly server: net.Server,
    private readonly upstream: net.Socket,
  ) {
    this.upstreamClosed = new Promise((resolve) => {
      this.markUpstreamClosed = resolve;
    });
    upstream.on("data", (chunk: Buffer) => this.fromUpstream(chunk));
    upstream.on("error", () => {});
    upstream.on("close", () => {
      this.markUpstreamClosed();
      for (const client of this.localClients) client.destroy();
    });
    server.on("connection", (client) => this.attach(client));
  }

  /** Opens the upstream connection and a local TCP listener on 127.0.0.1 (port chosen by the OS). */
  static async start(upstream: { host: string; port: number; tls: boolean }): Promise<SipStreamRelay> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const connected = upstream.tls
        ? // the lab's certificate is self-signed
          tls.connect({ host: upstream.host, port: upstream.port, rejectUnauthorized: false }, () =>
            resolve(connected),
          )
        : net.connect({ host: upstream.host, port: upstream.port }, () => resolve(connected));
      connected.once("error", reject);
    });
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new SipStreamRelay(server, socket);
  }

  /** Port SIPp connects to (`-t t1 127.0.0.1:<port>`). */
  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("relay not listening");
    return address.port;
  }

  /** Source port of the upstream connection, i.e. what the gateway records as the contact's address. */
  get upstreamLocalPort(): number {
    return this.upstream.localPort ?? 0;
  }

  async close(): Promise<void> {
    for (const client of this.localClients) client.destroy();
    this.upstream.end();
    const closed = Promise.race([this.upstreamClosed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await closed;
    this.upstream.destroy();
  }

  private attach(client: net.Socket): void {
    this.localClients.add(client);
    this.downstream = client;
    client.on("data", (chunk: Buffer) => this.upstream.write(chunk));
    client.on("error", () => {});
    client.on("close", () => {
      this.localClients.delete(client);
      if (this.downstream === client) this.downstream = undefined;
    });
    this.flushQueued();
  }

  private fromUpstream(chunk: Buffer): void {
    if (this.downstream && !this.downstream.destroyed) {
      this.downstream.write(chunk);
      return;
    }
    this.queuedForDownstream.push(chunk);
    this.connectInbound();
  }

  private connectInbound(): void {
    if (this.connectingInbound || this.inboundPort === undefined) return;
    this.connectingInbound = true;
    const inbound = net.connect({ host: "127.0.0.1", port: this.inboundPort }, () => {
      this.connectingInbound = false;
      this.attach(inbound);
    });
    inbound.once("error", () => {
      this.connectingInbound = false;
    });
  }

  private flushQueued(): void {
    const target = this.downstream;
    if (!target) return;
    for (const chunk of this.queuedForDownstream.splice(0)) target.write(chunk);
  }
}
