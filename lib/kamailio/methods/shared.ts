import { z } from "zod";

/** Copies a nested parse's issues into the current transform, keeping their field paths. */
export function forwardIssues(ctx: z.RefinementCtx, error: z.ZodError): typeof z.NEVER {
  for (const issue of error.issues)
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
}
