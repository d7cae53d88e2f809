import type { z } from "zod";

// Turning a zod mismatch in an external reply (Kamailio RPC, RTPEngine NG) into one readable line.

/** Where and how a reply failed its schema: `detail` is `<fieldPath>: <zod message>`. */
export interface SchemaMismatch {
  fieldPath: string;
  detail: string;
  cause: z.ZodError;
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

/** Validates `value` with `schema`; a mismatch is thrown as the error `toError` makes of its first issue. */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  toError: (mismatch: SchemaMismatch) => Error,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const fieldPath = issue ? formatIssuePath(issue.path) : "(reply)";
  const message = issue ? issue.message.replace(/^Invalid input: /, "") : "does not match";
  throw toError({ fieldPath, detail: `${fieldPath}: ${message}`, cause: parsed.error });
}
