import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

// Raw HTTP requests against the gateway's listeners: WebSocket handshakes with chosen headers, and
// JSON-RPC posts, to check what each port accepts and refuses.

export interface ProbeReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<ProbeReply> {
  const target = new URL(url);
  const client = target.protocol === "https:" || target.protocol === "wss:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method,
        headers: options.headers,
        rejectUnauthorized: false, // the lab's certificate is self-signed
        agent: false, // a fresh connection per probe: the gateway closes after each reply
        timeout: 5_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, headers: res.headers, body: "" });
    });
    req.on("timeout", () => req.destroy(new Error(`${options.method} ${url}: no reply within 5 s`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface HandshakeOptions {
  origin?: string;
  /** Host header; default host:port of the URL. */
  host?: string;
  method?: string;
}

/** A WebSocket upgrade request for sub-protocol "sip"; resolves with the status (101 = accepted). */
export function attemptHandshake(url: string, options: HandshakeOptions = {}): Promise<ProbeReply> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    Host: options.host ?? target.host,
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
    "Sec-WebSocket-Protocol": "sip",
  };
  if (options.origin !== undefined) headers.Origin = options.origin;
  return request(url.replace(/^ws/, "http"), { method: options.method ?? "GET", headers });
}

/** POSTs a JSON-RPC core.version call; resolves with whatever came back. */
export function postJsonRpc(url: string): Promise<ProbeReply> {
  const body = JSON.stringify({ jsonrpc: "2.0", method: "core.version", id: 1 });
  return request(url.replace(/^ws/, "http"), {
    method: "POST",
    headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) },
    body,
  });
}

/** True if `reply` is a JSON-RPC success (what must never come from the WebSocket ports). */
export function isJsonRpcResult(reply: ProbeReply): boolean {
  try {
    const parsed: unknown = JSON.parse(reply.body);
    return typeof parsed === "object" && parsed !== null && "result" in parsed;
  } catch {
    return false;
  }
}
