import type { z } from "zod";
import { parseOrThrow } from "../schema-mismatch";

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

/** Validates `value` with `schema`; a mismatch becomes an invalid_reply error naming the first failing field. */
export function parseReply<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  method: string,
  nodeUrl = "",
): z.output<Schema> {
  return parseOrThrow(
    schema,
    value,
    ({ fieldPath, detail, cause }) =>
      new KamailioRpcError({ kind: "invalid_reply", method, nodeUrl, detail, fieldPath, cause }),
  );
}

/**
 * What Kamailio 5.6's jsonrpcs answers for a method nobody registered — an unknown name, or a method of a module
 * the node does not load (captured: tests/fixtures/rpc/error.method-not-found.http-500.json and
 * error.module-not-loaded.*.json). Every other RPC error comes from a method that exists.
 */
export const RPC_METHOD_NOT_FOUND = { code: 500, message: "Method Not Found" } as const;

/** True for the reply of a method the node does not have (its module is not loaded). */
export function isMethodNotFound(error: unknown): error is KamailioRpcError {
  return (
    isKamailioRpcError(error) &&
    error.kind === "rpc" &&
    error.rpcCode === RPC_METHOD_NOT_FOUND.code &&
    error.rpcMessage?.trim().toLowerCase() === RPC_METHOD_NOT_FOUND.message.toLowerCase()
  );
}
