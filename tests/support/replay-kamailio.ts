// A local stand-in for Kamailio's JSON-RPC over HTTP that answers with captured replies, byte for byte.
// A raw node:net server (not node:http) so whole captured HTTP responses (`.http` files) and bodies that are not
// valid UTF-8 go out exactly as stored. It speaks just enough HTTP/1.1 for fetch/undici: keep-alive, Content-Length
// framed requests, several requests per connection (answered in order). Chunked request bodies are not supported.
import { readFileSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import { createServer, type Socket } from "node:net";
import path from "node:path";

/** How an entry with a body is framed: status (default 200, or the `http-NNN` in a file name), etc. */
export interface ReplyFraming {
  status?: number;
  /** Reason phrase; default: the JSON-RPC error message for a non-2xx reply (as jsonrpcs does), else the usual one. */
  reason?: string;
  /** Default application/json (text/html for .html files, text/plain for .txt). */
  contentType?: string;
  /** Send the reply's `id` as stored instead of rewriting it to the request's id. */
  keepId?: boolean;
}

export type ReplayEntry =
  /** A file under tests/fixtures/: a JSON body (`.json`, `.html`, `.txt`) or a whole HTTP response (`.http`). */
  | ({ file: string } & ReplyFraming)
  /** A body given inline. */
  | ({ body: string } & ReplyFraming)
  /** A body as bytes (e.g. not valid UTF-8). */
  | ({ raw: Buffer } & ReplyFraming)
  /** A whole HTTP response (like a `.http` file); `verbatim` also skips the id and Content-Length fix-ups. */
  | { response: Buffer | string; verbatim?: boolean }
  /** Closes the connection without answering. */
  | { hangUp: true }
  /** Waits, then answers with `reply` (not `then`: an object with a `then` is a thenable to await). */
  | { delayMs: number; reply: ReplayEntry };

/** An entry, or entries served in turn (the last one repeats). */
export type ReplayRoute = ReplayEntry | readonly ReplayEntry[];

/** Keys: `method`, or `method params…` joined by spaces (e.g. "rtpengine.show all"), which wins over `method`. */
export type ReplayRoutes = Record<string, ReplayRoute>;

export interface ReplayCall {
  method: string;
  params: unknown[];
}

export interface ReplayOptions {
  /** Where `file` entries are resolved; default tests/fixtures. */
  fixturesDir?: string;
  /** The RPC path; other paths get a plain 404. Default "/RPC". */
  path?: string;
}

export interface ReplayKamailio {
  /** http://127.0.0.1:PORT/RPC */
  readonly url: string;
  /** Every JSON-RPC request received, in order (clear with `calls.length = 0`). */
  readonly calls: ReplayCall[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Replaces (or with null removes) a route and restarts its turns. Files are read here: a missing one throws. */
  set(key: string, route: ReplayRoute | null): void;
  close(): Promise<void>;
}

const DEFAULT_FIXTURES = path.resolve(import.meta.dirname, "../fixtures");
/** What Kamailio 5.6 answers for a method nobody registered (tests/fixtures/rpc/error.method-not-found.http-500.json). */
const METHOD_NOT_FOUND = '{"jsonrpc":"2.0","error":{"code":500,"message":"Method Not Found"},"id":0}';
const PARSE_ERROR = '{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse Error"},"id":null}';
const HEAD_END = Buffer.from("\r\n\r\n");
// Bodies are handled as latin1 strings: one char per byte, so the bytes around the edits stay exactly as stored.
const TRAILING_ID = /("id"\s*:\s*)(-?\d+|null|"(?:[^"\\]|\\.)*")(\s*\}\s*)$/;

function rewriteId(body: string, id: unknown): string {
  return body.replace(TRAILING_ID, (_all, before: string, _old: string, after: string) => {
    return `${before}${JSON.stringify(id ?? null)}${after}`;
  });
}

function frame(status: number, reason: string, contentType: string, body: string): Buffer {
  const head = `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${contentType}\r\nServer: kamailio (replay)\r\n`;
  return Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n${body}`, "latin1");
}

/** A whole HTTP response with the body's id rewritten and Content-Length made to match the new body. */
function fixResponse(response: string, id: unknown): string {
  const crlf = response.indexOf("\r\n\r\n");
  const split = crlf >= 0 ? { at: crlf, sep: "\r\n\r\n" } : { at: response.indexOf("\n\n"), sep: "\n\n" };
  if (split.at < 0) return response;
  const head = response.slice(0, split.at);
  const body = rewriteId(response.slice(split.at + split.sep.length), id);
  const eol = split.sep === "\r\n\r\n" ? "\r\n" : "\n";
  const fixedHead = /^content-length:/im.test(head)
    ? head.replace(/^(content-length:[ \t]*)\d*/im, `$1${body.length}`)
    : `${head}${eol}Content-Length: ${body.length}`;
  return `${fixedHead}${split.sep}${body}`;
}

function statusFromName(file: string): number | undefined {
  const match = /(?:^|[.-])http-(\d{3})(?=\.)/.exec(path.basename(file));
  return match ? Number(match[1]) : undefined;
}

function contentTypeOf(file: string): string {
  if (file.endsWith(".html")) return "text/html";
  if (file.endsWith(".txt")) return "text/plain";
  return "application/json";
}

function routeKey(method: string, params: unknown[]): string {
  const words = params.map((p) => (typeof p === "string" ? p : JSON.stringify(p)));
  return [method, ...words].join(" ");
}

interface ParsedRequest {
  path: string;
  body: string;
}

/** Takes one complete request off the front of `buffer`, or returns undefined until it has all arrived. */
function takeRequest(buffer: Buffer): { request: ParsedRequest | "bad"; rest: Buffer } | undefined {
  const headEnd = buffer.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = buffer.subarray(0, headEnd).toString("latin1");
  if (/^transfer-encoding:/im.test(head)) return { request: "bad", rest: Buffer.alloc(0) };
  const length = Number(/^content-length:[ \t]*(\d+)/im.exec(head)?.[1] ?? 0);
  const end = headEnd + HEAD_END.length + length;
  if (buffer.length < end) return undefined;
  const target = head.split(" ", 3)[1] ?? "";
  return {
    request: {
      path: target.split("?")[0] ?? "",
      body: buffer.subarray(headEnd + HEAD_END.length, end).toString(),
    },
    rest: buffer.subarray(end),
  };
}

export async function startReplayKamailio(
  routes: ReplayRoutes,
  options: ReplayOptions = {},
): Promise<ReplayKamailio> {
  const fixturesDir = options.fixturesDir ?? DEFAULT_FIXTURES;
  const rpcPath = options.path ?? "/RPC";
  const files = new Map<string, string>();
  const table = new Map<string, { route: ReplayRoute; turn: number }>();
  const calls: ReplayCall[] = [];
  const sockets = new Set<Socket>();
  const waits = new Set<() => void>();
  let connections = 0;
  let closed = false;

  const load = (entry: ReplayEntry): void => {
    if ("file" in entry && !files.has(entry.file))
      files.set(entry.file, readFileSync(path.resolve(fixturesDir, entry.file)).toString("latin1"));
    if ("reply" in entry) load(entry.reply);
  };
  const set = (key: string, route: ReplayRoute | null): void => {
    if (route === null) {
      table.delete(key);
      return;
    }
    for (const entry of Array.isArray(route) ? route : [route]) load(entry as ReplayEntry);
    table.set(key, { route, turn: 0 });
  };
  for (const [key, route] of Object.entries(routes)) set(key, route);

  const pick = (method: string, params: unknown[]): ReplayEntry | undefined => {
    const slot = table.get(routeKey(method, params)) ?? table.get(method);
    if (!slot) return undefined;
    if (!Array.isArray(slot.route)) return slot.route as ReplayEntry;
    const list = slot.route as readonly ReplayEntry[];
    const entry = list[Math.min(slot.turn, list.length - 1)];
    slot.turn += 1;
    return entry;
  };

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
    });

  /** The bytes to send for `entry` (undefined: hang up). */
  const render = async (entry: ReplayEntry, id: unknown): Promise<Buffer | undefined> => {
    if ("hangUp" in entry) return undefined;
    if ("delayMs" in entry) {
      await delay(entry.delayMs);
      return closed ? undefined : render(entry.reply, id);
    }
    if ("response" in entry) {
      const text = typeof entry.response === "string" ? entry.response : entry.response.toString("latin1");
      return Buffer.from(entry.verbatim ? text : fixResponse(text, id), "latin1");
    }
    let stored: string;
    if ("file" in entry) {
      stored = files.get(entry.file) ?? "";
      if (entry.file.endsWith(".http")) return Buffer.from(fixResponse(stored, id), "latin1");
    } else
      stored = "body" in entry ? Buffer.from(entry.body).toString("latin1") : entry.raw.toString("latin1");
    const body = entry.keepId ? stored : rewriteId(stored, id);
    const status = entry.status ?? ("file" in entry ? statusFromName(entry.file) : undefined) ?? 200;
    const rpcMessage = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
    const reason =
      entry.reason ?? (status >= 300 && rpcMessage ? rpcMessage : (STATUS_CODES[status] ?? "Unknown"));
    const contentType =
      entry.contentType ?? ("file" in entry ? contentTypeOf(entry.file) : "application/json");
    return frame(status, reason, contentType, body);
  };

  const answer = async (socket: Socket, request: ParsedRequest | "bad"): Promise<void> => {
    let reply: Buffer | undefined;
    if (request === "bad") reply = frame(400, "Bad Request", "text/plain", "replay: unsupported request\n");
    else if (request.path !== rpcPath) reply = frame(404, "Not Found", "text/plain", "Not Found\n");
    else {
      let message: { method?: unknown; params?: unknown; id?: unknown } | undefined;
      try {
        message = JSON.parse(request.body) as typeof message;
      } catch {
        message = undefined;
      }
      if (!message || typeof message.method !== "string") {
        reply = frame(400, "Parse Error", "application/json", PARSE_ERROR);
      } else {
        const params = Array.isArray(message.params) ? (message.params as unknown[]) : [];
        calls.push({ method: message.method, params });
        const entry = pick(message.method, params) ?? { body: METHOD_NOT_FOUND, status: 500 };
        reply = await render(entry, message.id);
      }
    }
    if (socket.destroyed || closed) return;
    if (reply === undefined) socket.destroy();
    else if (request === "bad") socket.end(reply);
    else socket.write(reply);
  };

  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    let buffer: Buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let taken = takeRequest(buffer); taken; taken = takeRequest(buffer)) {
        const { request } = taken;
        buffer = taken.rest;
        queue = queue
          .then(() => answer(socket, request))
          .catch(() => {
            socket.destroy();
          });
        if (request === "bad") break;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("replay server has no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}${rpcPath}`,
    calls,
    get connections() {
      return connections;
    },
    set,
    close: async () => {
      closed = true;
      for (const done of [...waits]) done();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
