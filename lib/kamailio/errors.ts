import type { z } from "zod";

export type KamailioRpcErrorKind = "timeout" | "network" | "http" | "rpc" | "too_large" | "invalid_reply";

export interface KamailioRpcErrorDetails {
  kind: KamailioRpcErrorKind;
  method: string;
  nodeUrl: string;
  /** Human-readable reason, without the method/node prefix. */
  detail: string;
  /** HTTP status of the reply, when one arrived. */
  status?: number;
  /** JSON-RPC error code and message (kind "rpc"). */
  rpcCode?: number;
  rpcMessage?: string;
  /** Where the reply did not match the schema (kind "invalid_reply"), e.g. `[3].call-id`. */
  fieldPath?: string;
  cause?: unknown;
}

/** The one error type every Kamailio RPC failure becomes; `kind` says what went wrong. */
export class KamailioRpcError extends Error {
  readonly kind: KamailioRpcErrorKind;
  readonly method: string;
  readonly nodeUrl: string;
  readonly detail: string;
  readonly status: number | undefined;
  readonly rpcCode: number | undefined;
  readonly rpcMessage: string | undefined;
  readonly fieldPath: string | undefined;

  constructor(details: KamailioRpcErrorDetails) {
    const where = details.nodeUrl ? ` on ${details.nodeUrl}` : "";
    super(`${details.method}${where}: ${details.detail}`, { cause: details.cause });
    this.name = "KamailioRpcError";
    this.kind = details.kind;
    this.method = details.method;
    this.nodeUrl = details.nodeUrl;
    this.detail = details.detail;
    this.status = details.status;
    this.rpcCode = details.rpcCode;
    this.rpcMessage = details.rpcMessage;
    this.fieldPath = details.fieldPath;
  }
}

export function isKamailioRpcError(value: unknown): value is KamailioRpcError {
  return value instanceof KamailioRpcError;
}

const plainKey = /^[A-Za-z_$][\w$-]*$/;

/** Formats a zod issue path the way an operator reads it: `[3].call-id`, `info.truncated`, `["core.uptime"]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && plainKey.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === "" ? "(reply)" : out;
}

/** Validates `value` with `schema`; a mismatch becomes an invalid_reply error naming the first failing field. */
export function parseReply<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  method: string,
  nodeUrl = "",
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const fieldPath = issue ? formatIssuePath(issue.path) : "(reply)";
  const message = issue ? issue.message.replace(/^Invalid input: /, "") : "does not match";
  throw new KamailioRpcError({
    kind: "invalid_reply",
    method,
    nodeUrl,
    detail: `${fieldPath}: ${message}`,
    fieldPath,
    cause: parsed.error,
  });
}
