import { log } from "@/lib/log";
import type { Db } from "@/lib/metrics/db";
import type { AlertMemory, AlertStateName } from "./evaluate";
import { alertStates } from "./evaluate";
import { type AlertRule, AlertRuleSchema, DEFAULT_RULES } from "./rule-schema";

// PostgreSQL side of the alerts: rules (alert_rule), where each rule stands per node (alert_state), so a restart
// of kamdash keeps firing and pending alerts with their timers.

/** Node key of a fleet rule's state ("" cannot be a node name). */
export const FLEET_NODE = "";

export type StoredAlert = { ruleId: number; node: string; memory: AlertMemory; message: string };

/**
 * Creates the seed's default rules when alert_rule is empty and no admin ever deleted a rule (no
 * `alert_rule.delete` row in audit_log): an admin who deleted every rule does not get the defaults back.
 * Returns how many were created.
 */
export async function seedDefaultRules(db: Db): Promise<number> {
  if ((await db.alertRule.count()) > 0) return 0;
  const deleted = await db.auditLog.findFirst({
    where: { action: "alert_rule.delete" },
    select: { id: true },
  });
  if (deleted) return 0;
  const created = await db.alertRule.createMany({ data: [...DEFAULT_RULES], skipDuplicates: true });
  return created.count;
}

/** Every rule, validated (a row that does not parse is left out and logged, never guessed at). */
export async function loadRules(db: Db): Promise<AlertRule[]> {
  const rows = await db.alertRule.findMany({ orderBy: { id: "asc" } });
  const rules: AlertRule[] = [];
  for (const row of rows) {
    const parsed = AlertRuleSchema.safeParse(row);
    if (parsed.success) rules.push(parsed.data);
    else
      log.error(
        { ruleId: row.id, issues: parsed.error.issues },
        `alerts: alert_rule ${row.id} is not valid, skipped`,
      );
  }
  return rules;
}

const toMs = (d: Date | null): number | null => (d === null ? null : d.getTime());
const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const isStateName = (s: string): s is AlertStateName => (alertStates as readonly string[]).includes(s);

/** Where each rule stands per node (`where.ruleId`: one rule's only); rows with an unknown state are left out. */
export async function loadAlertStates(
  db: Pick<Db, "alertState">,
  where: { ruleId?: number } = {},
): Promise<StoredAlert[]> {
  const rows = await db.alertState.findMany({ where });
  return rows
    .filter((row) => isStateName(row.state))
    .map((row) => ({
      ruleId: row.ruleId,
      node: row.node,
      message: row.message,
      memory: {
        state: row.state as AlertStateName,
        sinceMs: row.since.getTime(),
        clearSinceMs: toMs(row.clearSince),
        value: row.value,
        firedAtMs: toMs(row.firedAt),
        resolvedAtMs: toMs(row.resolvedAt),
      },
    }));
}

export async function saveAlertState(db: Db, alert: StoredAlert): Promise<void> {
  const { memory } = alert;
  const data = {
    state: memory.state,
    since: new Date(memory.sinceMs),
    clearSince: toDate(memory.clearSinceMs),
    value: memory.value,
    message: alert.message,
    firedAt: toDate(memory.firedAtMs),
    resolvedAt: toDate(memory.resolvedAtMs),
  };
  await db.alertState.upsert({
    where: { ruleId_node: { ruleId: alert.ruleId, node: alert.node } },
    create: { ruleId: alert.ruleId, node: alert.node, ...data },
    update: data,
  });
}
