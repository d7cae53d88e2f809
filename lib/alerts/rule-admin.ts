import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/require-permission";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/http/errors";
import { runningAlertEngine } from "./hook";
import { type AlertRule, AlertRuleSchema, RuleThresholdsSchema } from "./rule-schema";

// Changing an alert rule (admin page): permission "alerts.write" checked here again, the change and its audit row
// in one transaction, then the running engine reloads its rules at once. Thresholds are in the metric's unit
// (ratio 0..1 for rates and shares, ms for latency, a count otherwise); durations in seconds.

export const seconds = z.coerce
  .number({ error: "a number of seconds" })
  .int("whole seconds")
  .min(0)
  .max(86_400);
export const number = z.coerce.number({ error: "a number" }).finite();

export const AlertRuleUpdateSchema = z.object({
  id: z.coerce.number().int().positive(),
  enabled: z.boolean().optional(),
  threshold: number.optional(),
  forSeconds: seconds.optional(),
  clearThreshold: number.optional(),
  /** null: resolve after forSeconds as well. */
  clearForSeconds: seconds.nullable().optional(),
});
export type AlertRuleUpdate = z.infer<typeof AlertRuleUpdateSchema>;

export async function updateAlertRuleAs(actor: Actor, input: unknown): Promise<AlertRule> {
  requirePermission(actor, "alerts.write");
  const { id, ...change } = AlertRuleUpdateSchema.parse(input);
  const db = await getDb();
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.alertRule.findUnique({ where: { id } });
    if (!row) throw notFound(`Alert rule ${id}`);
    const before = AlertRuleSchema.parse(row);
    const after = {
      ...before,
      ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    };
    RuleThresholdsSchema.parse(after); // the clear threshold stays on the healthy side
    const saved = AlertRuleSchema.parse(
      await tx.alertRule.update({
        where: { id },
        data: {
          enabled: after.enabled,
          threshold: after.threshold,
          forSeconds: after.forSeconds,
          clearThreshold: after.clearThreshold,
          clearForSeconds: after.clearForSeconds,
        },
      }),
    );
    const fields = ["enabled", "threshold", "forSeconds", "clearThreshold", "clearForSeconds"] as const;
    const changed = fields.filter((f) => before[f] !== saved[f]);
    await recordAudit(tx, actor, {
      action: "alert_rule.update",
      target: `alert_rule:${id}`,
      detail: {
        name: saved.name,
        changed: Object.fromEntries(changed.map((f) => [f, { from: before[f], to: saved[f] }])),
      },
    });
    return saved;
  });
  runningAlertEngine()?.invalidateRules();
  return updated;
}
