import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, actorLabel } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/require-permission";
import { getDb } from "@/lib/db";
import { ApiError, notFound } from "@/lib/http/errors";
import { nodeNameSchema } from "@/lib/nodes/node-spec";
import { getAlertEngine } from "./hook";
import { AlertMetricSchema } from "./metrics";
import { number, seconds } from "./rule-admin";
import {
  type AlertRule,
  AlertRuleSchema,
  ComparatorSchema,
  RuleScopeSchema,
  RuleThresholdsSchema,
  SeveritySchema,
} from "./rule-schema";
import { loadAlertStates } from "./store";

// Creating and deleting alert rules (admin page and POST/DELETE /api/v1/alerts/rules): permission "alerts.write"
// checked here again, the change and its audit row in one transaction, then the running engine reloads its rules.
//
// Deleting a rule removes it and its alert_state rows (ON DELETE CASCADE). Each of its alerts that was FIRING is
// resolved on the way out: an alert_resolved event and a "resolved" notification (webhooks, e-mail) whose message
// says the rule was deleted, so a receiver never keeps an incident open that nothing will ever resolve. Pending
// alerts are dropped silently (they never notified anyone). The rule's past deliveries stay in alert_delivery.

/** Empty text (a form's blank field) is "no value". */
const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/** A new rule; numbers may come as text (forms). Thresholds in the metric's unit, durations in seconds. */
export const AlertRuleCreateSchema = z
  .object({
    name: z.string().trim().min(1, "a name").max(120, "at most 120 characters"),
    metric: AlertMetricSchema,
    scope: RuleScopeSchema.default("node"),
    /** scope node: one node's name, or null/empty for every node; must be null for a fleet rule. */
    node: z.preprocess(blankToNull, nodeNameSchema.nullable()).default(null),
    comparator: ComparatorSchema,
    threshold: number,
    forSeconds: seconds,
    clearThreshold: number,
    /** null or empty: resolve after forSeconds as well. */
    clearForSeconds: z.preprocess(blankToNull, seconds.nullable()).default(null),
    severity: SeveritySchema,
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.scope === "node" || r.node === null, {
    path: ["node"],
    message: "a fleet rule watches every node: leave the node empty",
  });
export type AlertRuleCreate = z.infer<typeof AlertRuleCreateSchema>;

/** A rule id from a URL or form field. */
export const ruleIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, "rule id must be a positive whole number")
  .transform(Number);

/**
 * Creates a rule. Throws 403 without "alerts.write", a ZodError (422) for invalid fields — including a clear
 * threshold on the alerting side and a node kamdash does not know — and 409 when the name is taken.
 */
export async function createAlertRuleAs(actor: Actor, input: unknown): Promise<AlertRule> {
  requirePermission(actor, "alerts.write");
  const fields = AlertRuleCreateSchema.parse(input);
  RuleThresholdsSchema.parse(fields); // the clear threshold stays on the healthy side
  const db = await getDb();
  const created = await db.$transaction(async (tx) => {
    if (fields.node !== null && !(await tx.kamailioNode.findUnique({ where: { name: fields.node } }))) {
      throw new z.ZodError([
        { code: "custom", path: ["node"], message: `no node named "${fields.node}"`, input: fields.node },
      ]);
    }
    if (await tx.alertRule.findUnique({ where: { name: fields.name } })) {
      throw new ApiError(409, `An alert rule named "${fields.name}" already exists`);
    }
    const saved = AlertRuleSchema.parse(await tx.alertRule.create({ data: fields }));
    const { id, ...rule } = saved;
    await recordAudit(tx, actor, { action: "alert_rule.create", target: `alert_rule:${id}`, detail: rule });
    return saved;
  });
  getAlertEngine(db).invalidateRules();
  return created;
}

/**
 * Deletes a rule and its states; its firing alerts are resolved (event + "resolved" notification, see above).
 * Throws 403 without "alerts.write", 404 for an unknown id. Resolves once the engine has written the events
 * (deliveries continue in the background with their retries).
 */
export async function deleteAlertRuleAs(
  actor: Actor,
  id: number,
): Promise<{ rule: AlertRule; resolved: string[] }> {
  requirePermission(actor, "alerts.write");
  const db = await getDb();
  const { rule, firing } = await db.$transaction(async (tx) => {
    const row = await tx.alertRule.findUnique({ where: { id } });
    if (!row) throw notFound(`Alert rule ${id}`);
    const rule = AlertRuleSchema.parse(row);
    const firing = (await loadAlertStates(tx, { ruleId: id })).filter((a) => a.memory.state === "firing");
    await tx.alertRule.delete({ where: { id } });
    const { id: _id, ...fields } = rule;
    await recordAudit(tx, actor, {
      action: "alert_rule.delete",
      target: `alert_rule:${id}`,
      detail: { ...fields, resolvedFiring: firing.map((a) => a.node) },
    });
    return { rule, firing };
  });
  await getAlertEngine(db).forgetRule(rule, firing, actorLabel(actor));
  return { rule, resolved: firing.map((a) => a.node) };
}
