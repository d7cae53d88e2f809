import { z } from "zod";
import { AlertMetricSchema } from "./metrics";
import { ComparatorSchema, SeveritySchema } from "./rule-schema";

// What a webhook receives (the JSON body) and what an e-mail says, for one firing or resolved transition.

export const AlertNotificationSchema = z.object({
  event: z.enum(["firing", "resolved"]),
  ruleId: z.number().int(),
  /** The rule's name, e.g. "Branch failures over 1 % (5 min)". */
  rule: z.string(),
  metric: AlertMetricSchema,
  severity: SeveritySchema,
  /** The node's name; null for a fleet rule. */
  node: z.string().nullable(),
  /** The value that made the transition, in the metric's unit (ratio 0..1, ms, count). */
  value: z.number().nullable(),
  comparator: ComparatorSchema,
  threshold: z.number(),
  clearThreshold: z.number(),
  /** ISO time of the transition (the snapshot's polledAt). */
  at: z.string(),
  /** ISO time the alert fired (for resolved: when the episode began). */
  firedAt: z.string().nullable(),
  /** One line for people, e.g. "edge1: Branch failures over 1 % (5 min) — 3.2 % > 1 %". */
  message: z.string(),
});
export type AlertNotification = z.infer<typeof AlertNotificationSchema>;

/** One delivery attempt as recorded in alert_delivery. */
export type DeliveryAttempt = {
  channel: "webhook" | "email";
  /** Webhook URL without credentials or query, or the e-mail recipients. */
  target: string;
  /** 1-based. */
  attempt: number;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  /** The last attempt: delivered, or given up. */
  finalAttempt: boolean;
};
