import type { Db } from "@/lib/metrics/db";
import type { AlertListItem, AlertsResponse } from "./api-schema";
import { FLEET_NODE, loadRules, seedDefaultRules } from "./store";

// Read side of the alerts for the API, the admin page and the banner.

/** How far back "recently resolved" goes, ms (24 h), and how many are listed at most. */
export const RECENT_RESOLVED_MS = 24 * 3_600_000;
export const RECENT_RESOLVED_LIMIT = 50;

/**
 * Firing alerts of enabled rules (oldest first) and those resolved in the last 24 h (newest first), from
 * alert_state: what a restart keeps.
 */
export async function getAlerts(db: Db, now: Date = new Date()): Promise<AlertsResponse> {
  const rows = await db.alertState.findMany({
    where: {
      rule: { enabled: true },
      OR: [
        { state: "firing" },
        { state: "resolved", resolvedAt: { gte: new Date(now.getTime() - RECENT_RESOLVED_MS) } },
      ],
    },
    include: { rule: { select: { name: true, metric: true, severity: true } } },
  });
  const items = rows.map(
    (row): AlertListItem => ({
      ruleId: row.ruleId,
      rule: row.rule.name,
      metric: row.rule.metric,
      severity: row.rule.severity,
      node: row.node === FLEET_NODE ? null : row.node,
      state: row.state === "firing" ? "firing" : "resolved",
      value: row.value,
      message: row.message,
      firedAt: row.firedAt?.toISOString() ?? null,
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
    }),
  );
  return {
    firing: items
      .filter((i) => i.state === "firing")
      .sort((a, b) => (a.firedAt ?? "").localeCompare(b.firedAt ?? "")),
    resolved: items
      .filter((i) => i.state === "resolved")
      .sort((a, b) => (b.resolvedAt ?? "").localeCompare(a.resolvedAt ?? ""))
      .slice(0, RECENT_RESOLVED_LIMIT),
  };
}

/** The rules for the admin page (the defaults are created first when there is none). */
export async function getAlertRules(db: Db) {
  await seedDefaultRules(db);
  return loadRules(db);
}
