import type { z } from "zod";
import { parseOrThrow } from "../schema-mismatch";

export type RtpengineErrorKind = "timeout" | "network" | "http" | "ng_error" | "too_large" | "invalid_reply";

export interface RtpengineErrorDetails {
  kind: RtpengineErrorKind;
  /** NG command ("ping", "query", …) or HTTP path ("/metrics"). */
  command: string;
  /** host:port of the NG socket or the HTTP base URL. */
  target: string;
  detail: string;
  status?: number;
  fieldPath?: string;
  cause?: unknown;
}

/** The one error type for RTPEngine control failures (NG over UDP and the HTTP /metrics reader). */
export class RtpengineError extends Error {
  readonly kind: RtpengineErrorKind;
  readonly command: string;
  readonly target: string;
  readonly detail: string;
  readonly status: number | undefined;
  readonly fieldPath: string | undefined;

  constructor(details: RtpengineErrorDetails) {
    super(`rtpengine ${details.command} on ${details.target}: ${details.detail}`, { cause: details.cause });
    this.name = "RtpengineError";
    this.kind = details.kind;
    this.command = details.command;
    this.target = details.target;
    this.detail = details.detail;
    this.status = details.status;
    this.fieldPath = details.fieldPath;
  }
}

/** Validates `value` with `schema`; a mismatch becomes an invalid_reply error naming the first failing field. */
export function parseNgReply<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  command: string,
  target = "",
): z.output<Schema> {
  return parseOrThrow(
    schema,
    value,
    ({ fieldPath, detail, cause }) =>
      new RtpengineError({ kind: "invalid_reply", command, target, detail, fieldPath, cause }),
  );
}
