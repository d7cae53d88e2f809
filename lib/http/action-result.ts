import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { log } from "@/lib/log";
import { ApiError } from "./errors";

// What a server action's form shows when the work failed: zod issues under their fields, an ApiError's public
// message above the form, anything else a generic message with an id (details go to the server log only).
// The counterpart of toErrorResponse for forms.

export type FieldErrors = Record<string, string | undefined>;
export type ActionFailure = { status: number; formError: string | null; fieldErrors: FieldErrors };

/** The first message per top-level field (what a form shows under each input). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    errors[field] ??= issue.message;
  }
  return errors;
}

export function actionFailure(error: unknown): ActionFailure {
  // Next's own control flow (redirect(), notFound()) must pass through untouched.
  unstable_rethrow(error);
  if (error instanceof z.ZodError) {
    const fieldErrors = fieldErrorsOf(error);
    return { status: 422, formError: fieldErrors[""] ?? null, fieldErrors };
  }
  if (error instanceof ApiError) return { status: error.status, formError: error.message, fieldErrors: {} };
  const id = randomUUID();
  log.error({ err: error, errorId: id }, `server action failed ${id}`);
  return { status: 500, formError: `Something went wrong (error id ${id}).`, fieldErrors: {} };
}

/** A form field as text ("" when missing or a file). */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}
