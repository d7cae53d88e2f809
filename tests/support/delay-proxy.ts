import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A JSON-RPC proxy in front of a real Kamailio that makes it answer slowly: each request is forwarded at once and
// its reply held back for the delay set for its method (Kamailio does the work; the answer comes late), like a
// Kamailio whose RPC worker is busy. A client that gave up meanwhile gets nothing. Listens on 127.0.0.1.

export interface DelayProxy {
  /** The proxy's RPC URL (same path as the upstream's). */
  readonly url: string;
  /** Holds replies back `ms` milliseconds for the methods `applies` picks (all when omitted); 0 = pass through. */
  setDelay(ms: number, applies?: (method: string) => boolean): void;
  /** Requests forwarded per JSON-RPC method since start. */
  readonly forwarded: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function methodOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { method?: unknown };
    return typeof parsed.method === "string" ? parsed.method : "";
  } catch {
    return "";
  }
}

export async function startDelayProxy(upstreamUrl: string): Promise<DelayProxy> {
  const upstream = new URL(upstreamUrl);
  let delayMs = 0;
  let applies: (method: string) => boolean = () => true;
  const forwarded = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = methodOf(body);
    forwarded.set(method, (forwarded.get(method) ?? 0) + 1);
    const wait = applies(method) ? delayMs : 0;
    const reply = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": req.headers["content-type"] ?? "application/json" },
      body: new Uint8Array(body),
    });
    const replyBody = Buffer.from(await reply.arrayBuffer());
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, wait);
        timers.add(timer);
      });
    }
    if (res.destroyed || req.socket.destroyed) return;
    res.writeHead(reply.status, reply.statusText, {
      "content-type": reply.headers.get("content-type") ?? "application/json",
      "content-length": String(replyBody.length),
    });
    res.end(replyBody);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy()); // upstream gone: drop the connection, as a dead peer would
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    setDelay(ms, pick) {
      delayMs = ms;
      applies = pick ?? (() => true);
    },
    forwarded,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
