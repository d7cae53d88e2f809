import { describe, expect, it } from "vitest";
import { GET as getAlertsRoute } from "@/app/api/v1/alerts/route";
import { getAlertRules } from "@/lib/alerts/queries";
import { updateAlertRuleAs } from "@/lib/alerts/rule-admin";
import { operatorActor } from "@/lib/auth/actor";
import { createApiToken } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { auditRows, bearerHeaders, callRoute, setupAdminDatabase } from "./admin-support";

// Rule changes (the service behind /admin/alerts' server actions) and GET /api/v1/alerts, on real PostgreSQL.

setupAdminDatabase();

const admin = operatorActor({
  operatorId: 1,
  username: "root",
  role: "admin",
  csrfToken: "x",
  sessionId: "s",
});
const viewer = operatorActor({
  operatorId: 2,
  username: "eve",
  role: "viewer",
  csrfToken: "x",
  sessionId: "s",
});

async function ruleNamed(name: string) {
  const rule = (await getAlertRules(await getDb())).find((r) => r.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

describe("alert rule administration", () => {
  it("seeds the six default rules once", async () => {
    const db = await getDb();
    const rules = await getAlertRules(db);
    expect(rules.map((r) => [r.metric, r.comparator, r.threshold, r.forSeconds])).toEqual([
      ["branch_failure_rate", "gt", 0.01, 300],
      ["handshake_p95_ms", "gt", 500, 120],
      ["node_down", "gte", 1, 30],
      ["rtpengine_not_up", "gte", 1, 60],
      ["sessions_calls_gap", "gte", 1, 300],
      ["sockets_without_registration_share", "gt", 0.2, 600],
    ]);
    await getAlertRules(db);
    expect(await db.alertRule.count()).toBe(6);
  });

  it("changes thresholds and enabled with an audit row naming what changed; refuses viewers", async () => {
    const rule = await ruleNamed("Handshake p95 over 500 ms");
    const saved = await updateAlertRuleAs(admin, {
      id: String(rule.id),
      threshold: "800",
      clearThreshold: "600",
    });
    expect(saved).toMatchObject({ threshold: 800, clearThreshold: 600, forSeconds: 120 });
    await updateAlertRuleAs(admin, { id: rule.id, enabled: false });
    const rows = await auditRows();
    expect(rows.map((r) => [r.actor, r.action, r.target])).toEqual([
      ["operator:root", "alert_rule.update", `alert_rule:${rule.id}`],
      ["operator:root", "alert_rule.update", `alert_rule:${rule.id}`],
    ]);
    expect(rows[0]?.detail).toMatchObject({ changed: { threshold: { from: 500, to: 800 } } });
    expect(rows[1]?.detail).toMatchObject({ changed: { enabled: { from: true, to: false } } });

    const refused = await updateAlertRuleAs(viewer, { id: rule.id, enabled: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
  });

  it("refuses a clear threshold on the alerting side and unknown rules", async () => {
    const rule = await ruleNamed("Branch failures over 1 % (5 min)");
    await expect(updateAlertRuleAs(admin, { id: rule.id, clearThreshold: 0.02 })).rejects.toThrow(
      /clear threshold/,
    );
    const missing = await updateAlertRuleAs(admin, { id: 99999, enabled: true }).catch((e: unknown) => e);
    expect((missing as ApiError).status).toBe(404);
    expect(await auditRows()).toEqual([]);
  });
});

describe("GET /api/v1/alerts", () => {
  it("lists firing and recently resolved alerts to viewers and kiosks, not without credentials", async () => {
    const db = await getDb();
    const rule = await ruleNamed("Node down");
    const now = Date.now();
    await db.alertState.createMany({
      data: [
        {
          ruleId: rule.id,
          node: "edge1",
          state: "firing",
          since: new Date(now - 60_000),
          firedAt: new Date(now - 60_000),
          value: 1,
          message: "edge1: Node down — 1 ≥ 1",
        },
        {
          ruleId: rule.id,
          node: "edge2",
          state: "resolved",
          since: new Date(now - 5000),
          firedAt: new Date(now - 90_000),
          resolvedAt: new Date(now - 5000),
          value: 0,
          message: "edge2: Node down resolved — 0",
        },
        {
          ruleId: rule.id,
          node: "old",
          state: "resolved",
          since: new Date(now - 90_000_000),
          resolvedAt: new Date(now - 90_000_000),
          value: 0,
          message: "old",
        },
      ],
    });
    const viewerResponse = await callRoute(
      getAlertsRoute,
      "GET",
      "/api/v1/alerts",
      {},
      { headers: await bearerHeaders("viewer") },
    );
    expect(viewerResponse.status).toBe(200);
    const body = (await viewerResponse.json()) as {
      firing: { node: string }[];
      resolved: { node: string }[];
    };
    expect(body.firing.map((a) => a.node)).toEqual(["edge1"]);
    expect(body.resolved.map((a) => a.node)).toEqual(["edge2"]);

    const kiosk = await createApiToken({ name: "noc", kiosk: true });
    const kioskResponse = await callRoute(
      getAlertsRoute,
      "GET",
      "/api/v1/alerts",
      {},
      { headers: { cookie: `kamdash_kiosk=${kiosk.token}` } },
    );
    expect(kioskResponse.status).toBe(200);
    expect((await callRoute(getAlertsRoute, "GET", "/api/v1/alerts", {}, { headers: {} })).status).toBe(401);
  });
});
