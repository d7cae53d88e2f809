import type { z } from "zod";
import { ApiError } from "./errors";

// Input parsing at the edge of a route handler: the schema decides the type, failures become 400/415/422
// through toErrorResponse.

/** A JSON body validated by `schema`. Only application/json is accepted (a cross-site form cannot send it). */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  const contentType = request.headers.get("content-type")?.toLowerCase() ?? "";
  if (!contentType.startsWith("application/json")) {
    throw new ApiError(415, "Send a JSON body (content-type: application/json)");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ApiError(400, "The request body is not valid JSON");
  }
  return schema.parse(body);
}

/** The URL's query string validated by `schema` (each parameter's first value). */
export function parseSearchParams<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): z.output<Schema> {
  return schema.parse(Object.fromEntries(new URL(request.url).searchParams));
}
