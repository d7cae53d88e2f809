import { z } from "zod";
import { AlertMetricSchema } from "./metrics";

// An alert rule as the evaluator, the admin page and the API see it (the AlertRule row, validated).

export const ComparatorSchema = z.enum(["gt", "gte", "lt", "lte"]);
export type Comparator = z.infer<typeof ComparatorSchema>;
export const SeveritySchema = z.enum(["info", "warning", "critical"]);
export type Severity = z.infer<typeof SeveritySchema>;
export const RuleScopeSchema = z.enum(["node", "fleet"]);

export const COMPARATOR_TEXT: Record<Comparator, string> = { gt: ">", gte: "≥", lt: "<", lte: "≤" };

/** Thresholds and durations: what evaluate.ts needs. Durations in seconds, thresholds in the metric's unit. */
export const RuleThresholdsSchema = z
  .object({
    comparator: ComparatorSchema,
    threshold: z.number().finite(),
    /** How long the condition must hold before the alert fires, s (0: at the first snapshot). */
    forSeconds: z.number().int().min(0).max(86_400),
    /** Hysteresis: a firing alert resolves only once the value is past this (below it for gt/gte). */
    clearThreshold: z.number().finite(),
    /** How long the value must stay past clearThreshold before it resolves, s; null: forSeconds. */
    clearForSeconds: z.number().int().min(0).max(86_400).nullable(),
  })
  .refine(
    (r) =>
      r.comparator === "gt" || r.comparator === "gte"
        ? r.clearThreshold <= r.threshold
        : r.clearThreshold >= r.threshold,
    {
      path: ["clearThreshold"],
      message: "the clear threshold must be on the healthy side of the threshold (at or below it for > / ≥)",
    },
  );
export type RuleThresholds = z.infer<typeof RuleThresholdsSchema>;

export const AlertRuleSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1).max(120),
  metric: AlertMetricSchema,
  scope: RuleScopeSchema,
  /** scope node: one node's name, or null for every node; always null for fleet rules. */
  node: z.string().nullable(),
  comparator: ComparatorSchema,
  threshold: z.number(),
  forSeconds: z.number().int(),
  clearThreshold: z.number(),
  clearForSeconds: z.number().int().nullable(),
  severity: SeveritySchema,
  enabled: z.boolean(),
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export type NewAlertRule = Omit<AlertRule, "id">;

/**
 * The seed's health rules (README "Branch-failure rate" … "Sockets vs registrations"), created once when the
 * alert_rule table is empty. Clear thresholds give hysteresis (a value hovering at the threshold does not flap).
 */
const seeded = { scope: "node", node: null, clearForSeconds: null, enabled: true } as const;

export const DEFAULT_RULES: readonly NewAlertRule[] = [
  {
    ...seeded,
    name: "Branch failures over 1 % (5 min)",
    metric: "branch_failure_rate",
    comparator: "gt",
    threshold: 0.01,
    forSeconds: 300,
    clearThreshold: 0.008,
    severity: "warning",
  },
  {
    ...seeded,
    name: "Handshake p95 over 500 ms",
    metric: "handshake_p95_ms",
    comparator: "gt",
    threshold: 500,
    forSeconds: 120,
    clearThreshold: 400,
    severity: "warning",
  },
  {
    ...seeded,
    name: "Node down",
    metric: "node_down",
    comparator: "gte",
    threshold: 1,
    forSeconds: 30,
    clearThreshold: 0,
    severity: "critical",
  },
  {
    ...seeded,
    name: "RTPEngine instance not up",
    metric: "rtpengine_not_up",
    comparator: "gte",
    threshold: 1,
    forSeconds: 60,
    clearThreshold: 0,
    severity: "critical",
  },
  {
    ...seeded,
    name: "Sessions differ from calls",
    metric: "sessions_calls_gap",
    comparator: "gte",
    threshold: 1,
    forSeconds: 300,
    clearThreshold: 0,
    severity: "warning",
  },
  {
    ...seeded,
    name: "Sockets without registration over 20 %",
    metric: "sockets_without_registration_share",
    comparator: "gt",
    threshold: 0.2,
    forSeconds: 600,
    clearThreshold: 0.15,
    severity: "warning",
  },
];
