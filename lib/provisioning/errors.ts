import { toErrorResponse } from "@/lib/http/errors";
import type { FieldErrors, ProvisioningErrorBody } from "./types";

// A refusal of the provisioning service: 400 with a message per field, 404 unknown subscriber, 409 duplicate,
// 503 Kamailio database not configured. The API answers { error, fields? } (contract of #9).

export class ProvisioningError extends Error {
  override name = "ProvisioningError";
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 503,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
  }
}

export function invalidInput(fields: FieldErrors): ProvisioningError {
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field} ${message}`)
    .join("; ");
  return new ProvisioningError(400, summary || "the input is not valid", fields);
}

export function subscriberNotFound(aor: string): ProvisioningError {
  return new ProvisioningError(404, `no subscriber ${aor}`);
}

/** The route handlers' mapper: ProvisioningError → { error, fields? }, anything else → toErrorResponse. */
export function provisioningErrorResponse(error: unknown): Response {
  if (!(error instanceof ProvisioningError)) return toErrorResponse(error);
  const body: ProvisioningErrorBody = {
    error: error.message,
    ...(error.fields ? { fields: error.fields } : {}),
  };
  return Response.json(body, { status: error.status, headers: { "cache-control": "no-store" } });
}
