import { z } from "zod";
import { csrfHeaders } from "@/lib/auth/csrf-client";
import type { FieldErrors } from "@/lib/provisioning/types";

// The browser side of /api/v1/subscribers: one call helper that sends the CSRF header and reads either error shape
// the API may answer ({ error: "…", fields } from the provisioning routes, { error: { message } } from withAuth).

const fieldErrorsSchema = z
  .object({ username: z.string(), domain: z.string(), password: z.string() })
  .partial();

const errorBodySchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string() }).loose()]).optional(),
  fields: fieldErrorsSchema.optional(),
});

export type ApiOutcome<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; message: string; fields: FieldErrors };

/** "user@domain" → the path segment the API expects. */
export const subscriberPath = (aor: string) => `/api/v1/subscribers/${encodeURIComponent(aor)}`;

/** Reads an error answer: the message the API gave (never HTML), and the per-field messages when present. */
export async function readError(response: Response): Promise<{ message: string; fields: FieldErrors }> {
  const text = await response.text();
  let parsed: z.infer<typeof errorBodySchema> | undefined;
  try {
    const result = errorBodySchema.safeParse(JSON.parse(text));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  const error = parsed?.error;
  const message = typeof error === "string" ? error : (error?.message ?? `HTTP ${response.status}`);
  return { message, fields: parsed?.fields ?? {} };
}

/** Sends a JSON request (or none) with the CSRF header; parses a 2xx body with `schema`. */
export async function callApi<T>(
  url: string,
  init: { method: "GET" | "POST" | "DELETE"; body?: unknown },
  schema: z.ZodType<T>,
): Promise<ApiOutcome<T>> {
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: {
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...csrfHeaders(),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
    if (!response.ok) return { ok: false, status: response.status, ...(await readError(response)) };
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      return { ok: false, status: response.status, message: "Unexpected answer from the server", fields: {} };
    }
    return { ok: true, status: response.status, body: parsed.data };
  } catch (error) {
    return {
      ok: false,
      status: 0,
      message: error instanceof Error ? error.message : String(error),
      fields: {},
    };
  }
}

export const passwordResultSchema = z.object({ aor: z.string(), generatedPassword: z.string().optional() });

export const removeResultSchema = z.object({
  aor: z.string(),
  registrationsDropped: z.number(),
  socketsClosed: z.number(),
});
