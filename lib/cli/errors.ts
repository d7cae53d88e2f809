import { ZodError } from "zod";

/** A failure the user can act on (message only, exit 1). */
export class CliError extends Error {
  override name = "CliError";
}

/** Prisma's unique-constraint error (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** One line for the terminal; set KAMDASH_DEBUG=1 to get the stack as well. */
export function describeCliError(error: unknown, debug: boolean): string {
  if (error instanceof ZodError) return error.issues.map((issue) => issue.message).join("; ");
  if (isUniqueViolation(error)) return "it already exists";
  if (!(error instanceof Error)) return String(error);
  return debug && error.stack ? error.stack : error.message;
}
