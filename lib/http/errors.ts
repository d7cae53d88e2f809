import { randomUUID } from "node:crypto";
import { z } from "zod";
import { log } from "@/lib/log";

// The one error type route handlers throw and the one mapper that turns any thrown value into a JSON response.
// Users see `message`; details of unknown errors go to the server log only, tagged with an id the user can quote.

export type ApiErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "csrf_failed"
  | "not_found"
  | "conflict"
  | "validation_failed"
  | "unsupported_media_type"
  | "rate_limited"
  | "internal";

const defaultCodeByStatus: Record<number, ApiErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
};

export type ApiErrorBody = {
  error: {
    code: ApiErrorCode;
    message: string;
    issues?: { path: string; message: string }[];
    id?: string;
  };
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    publicMessage: string,
    options: { code?: ApiErrorCode; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(publicMessage, { cause: options.cause });
    this.name = "ApiError";
    this.status = status;
    this.code = options.code ?? defaultCodeByStatus[status] ?? "internal";
    this.headers = options.headers ?? {};
  }
}

export function notFound(what: string): ApiError {
  return new ApiError(404, `${what} not found`);
}

/** Prisma errors are recognised by shape so this module does not import the generated client. */
function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name === "PrismaClientKnownRequestError" && typeof code === "string") return code;
  return undefined;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join(".");
}

function json(status: number, body: ApiErrorBody, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Maps a thrown value to a response: ApiError as is, zod → 422, Prisma not-found → 404, unique → 409, else 500. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    return json(error.status, { error: { code: error.code, message: error.message } }, error.headers);
  }
  if (error instanceof z.ZodError) {
    const issues = error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
    return json(422, { error: { code: "validation_failed", message: "The request is not valid", issues } });
  }
  const prismaCode = prismaErrorCode(error);
  if (prismaCode === "P2025" || prismaCode === "P2001") {
    return json(404, { error: { code: "not_found", message: "Not found" } });
  }
  if (prismaCode === "P2002") {
    return json(409, { error: { code: "conflict", message: "It already exists" } });
  }
  const id = randomUUID();
  log.error({ err: error, errorId: id }, `unhandled error ${id}`);
  return json(500, { error: { code: "internal", message: "Internal server error", id } });
}
