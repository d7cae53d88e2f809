import type { z } from "zod";

export type SearchParams = Record<string, string | string[] | undefined>;

/** First value of each search param (Next hands repeated ones as arrays). */
export function firstValues(params: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/**
 * Parses a page's filters. A bad field is reported in `errors` (by field name) and left out, so the page still
 * shows everything the other filters select instead of an error page. The schema must accept an empty object.
 */
export function parseFilters<Schema extends z.ZodType>(
  schema: Schema,
  raw: Record<string, string | undefined>,
): { query: z.output<Schema>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let input: Record<string, string | undefined> = { ...raw };
  for (let attempt = 0; attempt < 10; attempt++) {
    const parsed = schema.safeParse(input);
    if (parsed.success) return { query: parsed.data, errors };
    const bad = new Set<string>();
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      errors[field] ??= issue.message;
      bad.add(field);
    }
    input = Object.fromEntries(Object.entries(input).filter(([k]) => !bad.has(k)));
  }
  return { query: schema.parse({}), errors };
}
