import { z } from "zod";
import { ApiError } from "@/lib/http/errors";
import { provisioningErrorResponse } from "./errors";

// Small helpers for the /api/v1/subscribers route handlers (they stay a few lines each).

/** Runs the handler body; a thrown ProvisioningError becomes { error, fields? }, anything else the usual mapping. */
export async function answer(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    return provisioningErrorResponse(error);
  }
}

export const noStore = { "cache-control": "no-store" };

/**
 * The {aor} path segment. Next hands it over percent-decoded or not depending on the characters; a decoded AOR
 * holds its "@", and a user part never does, so only a segment without "@" is decoded (once).
 */
export function aorParam(raw: string | string[] | undefined): string {
  const value = Array.isArray(raw) ? (raw[0] ?? "") : (raw ?? "");
  if (value.includes("@")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ApiError(400, "the subscriber in the path is not a valid URL-encoded user@domain");
  }
}

/** A JSON body (415 for another content type, 400 for broken JSON); its fields are checked by the service. */
export async function jsonBody(request: Request): Promise<unknown> {
  const contentType = request.headers.get("content-type")?.toLowerCase() ?? "";
  if (!contentType.startsWith("application/json"))
    throw new ApiError(415, "Send a JSON body (content-type: application/json)");
  try {
    return await request.json();
  } catch {
    throw new ApiError(400, "The request body is not valid JSON");
  }
}

const flag = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((v) => v === "1" || v === "true");

export const removeQuerySchema = z.object({ dropRegistrations: flag, closeSockets: flag });
