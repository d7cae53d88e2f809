import { request as jsonRpcRequest, parse as parseJsonRpc } from "jsonrpc-lite";
import type { Dispatcher } from "undici-types";
import { KamailioRpcError } from "./errors";

export interface RpcBasicAuth {
  username: string;
  password: string;
}

export interface RpcTransportOptions {
  /** Kamailio's JSON-RPC endpoint, e.g. http://127.0.0.1:5080/RPC (credentials in the URL are allowed). */
  url: string;
  /** Whole call, body included. Default 5000 ms. */
  timeoutMs?: number;
  /** Replies larger than this are aborted while streaming. Default 8 MiB. */
  maxReplyBytes?: number;
  auth?: RpcBasicAuth;
  /** undici dispatcher, e.g. an Agent with TLS options for https endpoints. */
  dispatcher?: Dispatcher;
}

export type RpcParam = string | number | boolean;

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_REPLY_BYTES = 8 * 1024 * 1024;

interface Endpoint {
  url: string;
  /** The URL without credentials: safe for messages and logs. */
  displayUrl: string;
  authorization: string | undefined;
}

function resolveEndpoint(rawUrl: string, auth: RpcBasicAuth | undefined): Endpoint {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new KamailioRpcError({
      kind: "network",
      method: "(setup)",
      nodeUrl: rawUrl,
      detail: "the RPC URL is not a valid URL",
    });
  }
  // fetch refuses URLs that carry credentials: move them into the header.
  const username = auth?.username ?? decodeURIComponent(url.username);
  const password = auth?.password ?? decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const authorization =
    username !== "" ? `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` : undefined;
  return { url: url.toString(), displayUrl: url.toString(), authorization };
}

export interface DecodeContext {
  method: string;
  nodeUrl: string;
  /** HTTP status the body came with (200 when unknown). */
  status?: number;
  /** The id the request was sent with; a reply for another id is rejected. */
  expectedId?: number | string;
}

/** Turns a JSON-RPC reply body into its `result`, or throws the matching KamailioRpcError. */
export function decodeRpcReply(body: string, context: DecodeContext): unknown {
  const { method, nodeUrl } = context;
  const status = context.status ?? 200;
  const parsed = parseJsonRpc(body);
  if (Array.isArray(parsed)) {
    throw new KamailioRpcError({
      kind: "invalid_reply",
      method,
      nodeUrl,
      status,
      detail: "reply is a JSON-RPC batch, expected a single reply",
    });
  }
  // jsonrpc-lite's type enum is an ambient const enum: compare as strings.
  const type: string = parsed.type;
  if (type === "error" && "error" in parsed.payload) {
    const { code, message } = parsed.payload.error;
    throw new KamailioRpcError({
      kind: "rpc",
      method,
      nodeUrl,
      status,
      rpcCode: code,
      rpcMessage: message,
      detail: `Kamailio answered error ${code}: ${message}`,
    });
  }
  if (status < 200 || status > 299) {
    throw new KamailioRpcError({
      kind: "http",
      method,
      nodeUrl,
      status,
      detail: `HTTP ${status}${describeBody(body)}`,
    });
  }
  if (type === "success" && "result" in parsed.payload) {
    const { id, result } = parsed.payload;
    if (context.expectedId !== undefined && id !== context.expectedId) {
      throw new KamailioRpcError({
        kind: "invalid_reply",
        method,
        nodeUrl,
        status,
        fieldPath: "id",
        detail: `id: reply is for request ${JSON.stringify(id)}, expected ${JSON.stringify(context.expectedId)}`,
      });
    }
    return result;
  }
  throw new KamailioRpcError({
    kind: "invalid_reply",
    method,
    nodeUrl,
    status,
    detail: isJson(body)
      ? `reply is JSON but not a JSON-RPC 2.0 reply${describeBody(body)}`
      : `reply is not JSON${describeBody(body)}`,
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function describeBody(body: string): string {
  const compact = body.replace(/\s+/g, " ").trim();
  if (compact === "") return " (empty body)";
  return ` (body starts: ${JSON.stringify(compact.slice(0, 80))})`;
}

/** Reads a fetch body as UTF-8, giving up (and calling `abort`) once it passes `maxBytes`. */
export async function readLimited(
  response: Response,
  maxBytes: number,
  abort: (reason: "too_large") => void,
): Promise<string | "too_large"> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort("too_large");
    return "too_large";
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      abort("too_large");
      await reader.cancel().catch(() => undefined);
      return "too_large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

function networkDetail(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const message =
    typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : "";
  if (code === "ECONNREFUSED") return "connection refused (is Kamailio running and is the RPC port right?)";
  if (code) return `network error ${code}${message ? `: ${message}` : ""}`;
  return `network error: ${message || String(error)}`;
}

/** Per-call limits that override the transport's (e.g. a reply budget for the heavy lists). */
export interface RpcCallOptions {
  timeoutMs?: number;
  maxReplyBytes?: number;
}

export interface RpcTransport {
  /** The endpoint without credentials, for messages. */
  readonly nodeUrl: string;
  call(method: string, params?: readonly RpcParam[], options?: RpcCallOptions): Promise<unknown>;
}

/** JSON-RPC 2.0 over HTTP POST, one call per request (Kamailio's jsonrpcs has no batch support). */
export function createRpcTransport(options: RpcTransportOptions): RpcTransport {
  const endpoint = resolveEndpoint(options.url, options.auth);
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const defaultMaxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  let nextId = 1;

  async function call(
    method: string,
    params: readonly RpcParam[] = [],
    callOptions: RpcCallOptions = {},
  ): Promise<unknown> {
    const timeoutMs = callOptions.timeoutMs ?? defaultTimeoutMs;
    const maxReplyBytes = callOptions.maxReplyBytes ?? defaultMaxReplyBytes;
    const id = nextId;
    nextId = nextId >= Number.MAX_SAFE_INTEGER ? 1 : nextId + 1;
    const nodeUrl = endpoint.displayUrl;
    const controller = new AbortController();
    let abortReason: "timeout" | "too_large" | undefined;
    const timer = setTimeout(() => {
      abortReason = "timeout";
      controller.abort();
    }, timeoutMs);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
    };
    if (endpoint.authorization) headers.authorization = endpoint.authorization;
    const init: RequestInit & { dispatcher?: Dispatcher } = {
      method: "POST",
      headers,
      body: jsonRpcRequest(id, method, [...params]).serialize(),
      signal: controller.signal,
      redirect: "error",
    };
    if (options.dispatcher) init.dispatcher = options.dispatcher;

    const fail = (error: unknown): never => {
      if (error instanceof KamailioRpcError) throw error;
      if (abortReason === "timeout") {
        throw new KamailioRpcError({
          kind: "timeout",
          method,
          nodeUrl,
          detail: `no complete reply within ${timeoutMs} ms`,
          cause: error,
        });
      }
      throw new KamailioRpcError({
        kind: "network",
        method,
        nodeUrl,
        detail: networkDetail(error),
        cause: error,
      });
    };

    try {
      const response = await fetch(endpoint.url, init).catch(fail);
      const body = await readLimited(response, maxReplyBytes, (reason) => {
        abortReason = reason;
        controller.abort();
      }).catch(fail);
      if (body === "too_large") {
        throw new KamailioRpcError({
          kind: "too_large",
          method,
          nodeUrl,
          status: response.status,
          detail: `reply larger than the ${maxReplyBytes}-byte limit (maxReplyBytes)`,
        });
      }
      return decodeRpcReply(body, { method, nodeUrl, status: response.status, expectedId: id });
    } finally {
      clearTimeout(timer);
    }
  }

  return { nodeUrl: endpoint.displayUrl, call };
}
