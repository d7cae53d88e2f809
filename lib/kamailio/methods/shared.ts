import { z } from "zod";

/** Copies a nested parse's issues into the current transform, keeping their field paths. */
export function forwardIssues(ctx: z.RefinementCtx, error: z.ZodError): typeof z.NEVER {
  for (const issue of error.issues)
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
}

/**
 * A list that Kamailio may send as a bare object when it has one element (methods without RET_ARRAY).
 * Chosen by shape instead of z.union so that an error names the failing field, not "invalid union".
 */
export function oneOrMany<T extends z.ZodType>(schema: T) {
  return z.unknown().transform((value, ctx): z.output<T>[] => {
    if (Array.isArray(value)) {
      const parsed = z.array(schema).safeParse(value);
      return parsed.success ? parsed.data : forwardIssues(ctx, parsed.error);
    }
    const parsed = schema.safeParse(value);
    return parsed.success ? [parsed.data] : forwardIssues(ctx, parsed.error);
  });
}
