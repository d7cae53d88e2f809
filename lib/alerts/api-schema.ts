import { z } from "zod";

// GET /api/v1/alerts response (also parsed by the dashboard banner in the browser).

export const AlertListItemSchema = z.object({
  ruleId: z.number().int(),
  rule: z.string(),
  metric: z.string(),
  severity: z.string(),
  /** null for a fleet rule. */
  node: z.string().nullable(),
  state: z.enum(["firing", "resolved"]),
  /** Last known value in the metric's unit. */
  value: z.number().nullable(),
  message: z.string(),
  firedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type AlertListItem = z.infer<typeof AlertListItemSchema>;
export const AlertsResponseSchema = z.object({
  firing: z.array(AlertListItemSchema),
  resolved: z.array(AlertListItemSchema),
});
export type AlertsResponse = z.infer<typeof AlertsResponseSchema>;
