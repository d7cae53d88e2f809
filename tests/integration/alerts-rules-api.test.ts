import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getAlertsRoute } from "@/app/api/v1/alerts/route";
import { DELETE as deleteRuleRoute, PATCH as patchRuleRoute } from "@/app/api/v1/alerts/rules/[id]/route";
import { GET as getRulesRoute, POST as postRuleRoute } from "@/app/api/v1/alerts/rules/route";
import { evaluateAlertsAfterSnapshot, getAlertEngine, resetAlertEngine } from "@/lib/alerts/hook";
import { AlertNotificationSchema } from "@/lib/alerts/notification";
import type { AlertRule } from "@/lib/alerts/rule-schema";
import { verifySignature } from "@/lib/alerts/signature";
import { createApiToken } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db";
import { getFleetSnapshot, putNodeSnapshot, resetLiveStore, retainNodes } from "@/lib/poller/live";
import {
  auditRows,
  bearerHeaders,
  browserHeaders,
  callRoute,
  errorOf,
  sessionFor,
  setupAdminDatabase,
} from "./admin-support";
import { simulatedNode, startWebhookReceiver, type WebhookReceiver } from "./alerts-support";

// Creating and deleting alert rules through POST/DELETE /api/v1/alerts/rules (and PATCH), on real PostgreSQL:
// permissions from the one table, zod validation, audit rows, and a firing rule deleted cleanly (its alert
// resolved once, with a signed webhook saying why; nothing left in alert_state, the API or the live snapshot).

setupAdminDatabase();

const SECRET = "alerts-rules-api-secret";
let hook: WebhookReceiver;

beforeAll(async () => {
  hook = await startWebhookReceiver();
  process.env.KAMDASH_ALERT_WEBHOOKS = hook.url;
  process.env.KAMDASH_ALERT_WEBHOOK_SECRET = SECRET;
  resetAlertEngine();
  resetLiveStore();
});

afterAll(async () => {
  delete process.env.KAMDASH_ALERT_WEBHOOKS;
  delete process.env.KAMDASH_ALERT_WEBHOOK_SECRET;
  resetAlertEngine();
  resetLiveStore();
  await hook?.close();
});

beforeEach(async () => {
  const db = await getDb();
  await getAlertEngine(db).idle();
  await db.alertRule.deleteMany();
  await db.alertDelivery.deleteMany();
  resetAlertEngine();
  resetLiveStore();
  hook.received.splice(0);
});

const nodeDown = {
  name: "Edge down now",
  metric: "node_down",
  comparator: "gte",
  threshold: 1,
  forSeconds: 0,
  clearThreshold: 0,
  severity: "critical",
};

async function post(headers: Record<string, string>, body: unknown) {
  return callRoute(postRuleRoute, "POST", "/api/v1/alerts/rules", {}, { headers, body });
}

describe("POST /api/v1/alerts/rules", () => {
  it("creates a rule for an admin, audited with its fields, listed by GET; refuses viewers, kiosks and no credentials", async () => {
    const admin = await bearerHeaders("admin");
    const created = await post(admin, nodeDown);
    expect(created.status).toBe(201);
    const rule = (await created.json()) as AlertRule;
    expect(rule).toMatchObject({
      ...nodeDown,
      scope: "node",
      node: null,
      clearForSeconds: null,
      enabled: true,
    });
    expect((await auditRows()).map((r) => [r.actor, r.action, r.target, r.detail])).toEqual([
      [
        "token:admin-script",
        "alert_rule.create",
        `alert_rule:${rule.id}`,
        { ...nodeDown, scope: "node", node: null, clearForSeconds: null, enabled: true },
      ],
    ]);
    const listed = await callRoute(getRulesRoute, "GET", "/api/v1/alerts/rules", {}, { headers: admin });
    expect(((await listed.json()) as { rules: AlertRule[] }).rules.map((r) => r.name)).toEqual([
      nodeDown.name,
    ]);

    expect((await post(await bearerHeaders("viewer"), { ...nodeDown, name: "x" })).status).toBe(403);
    expect((await post(await bearerHeaders("operator"), { ...nodeDown, name: "y" })).status).toBe(403);
    expect((await post({}, { ...nodeDown, name: "z" })).status).toBe(401);
    const kiosk = await createApiToken({ name: "wall", role: "admin", kiosk: true });
    expect((await post({ authorization: `Bearer ${kiosk.token}` }, { ...nodeDown, name: "k" })).status).toBe(
      403,
    );
    // a signed-in admin's browser without the CSRF header
    const session = await sessionFor("admin");
    const { "x-csrf-token": _csrf, ...noCsrf } = browserHeaders(session);
    expect(await errorOf(await post(noCsrf, { ...nodeDown, name: "w" }))).toMatchObject({
      code: "csrf_failed",
    });
    expect((await post(browserHeaders(session), { ...nodeDown, name: "from the page" })).status).toBe(201);
    expect((await auditRows()).map((r) => r.action)).toEqual(["alert_rule.create", "alert_rule.create"]);
  });

  it("answers 422 with the field for invalid rules and 409 for a taken name, writing nothing", async () => {
    const admin = await bearerHeaders("admin");
    const issues = async (body: unknown) => {
      const response = await post(admin, body);
      expect(response.status).toBe(422);
      return (await errorOf(response)).issues?.map((i) => i.path);
    };
    expect(await issues({ ...nodeDown, clearThreshold: 2 })).toEqual(["clearThreshold"]);
    expect(await issues({ ...nodeDown, metric: "cpu_load" })).toEqual(["metric"]);
    expect(await issues({ ...nodeDown, forSeconds: -1 })).toEqual(["forSeconds"]);
    expect(await issues({ ...nodeDown, scope: "fleet", node: "lab" })).toEqual(["node"]);
    expect(await issues({ ...nodeDown, node: "no-such-node" })).toEqual(["node"]);
    expect(await issues({ ...nodeDown, node: "<script>" })).toEqual(["node"]);
    expect(await issues({ ...nodeDown, severity: "page-everyone" })).toEqual(["severity"]);
    expect((await post(admin, nodeDown)).status).toBe(201);
    const clash = await post(admin, nodeDown);
    expect(clash.status).toBe(409);
    expect((await auditRows()).map((r) => r.action)).toEqual(["alert_rule.create"]);
    expect(await (await getDb()).alertRule.count()).toBe(1);
  });
});

describe("PATCH and DELETE /api/v1/alerts/rules/{id}", () => {
  it("changes a rule (audited) and 404s unknown ids", async () => {
    const admin = await bearerHeaders("admin");
    const rule = (await (await post(admin, nodeDown)).json()) as AlertRule;
    const patched = await callRoute(
      patchRuleRoute,
      "PATCH",
      `/api/v1/alerts/rules/${rule.id}`,
      { id: String(rule.id) },
      { headers: admin, body: { forSeconds: 45 } },
    );
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as AlertRule).forSeconds).toBe(45);
    for (const id of ["999999", "abc", "0"]) {
      const response = await callRoute(
        deleteRuleRoute,
        "DELETE",
        `/api/v1/alerts/rules/${id}`,
        { id },
        { headers: admin },
      );
      expect(response.status, id).toBe(404);
    }
    const viewer = await callRoute(
      deleteRuleRoute,
      "DELETE",
      `/api/v1/alerts/rules/${rule.id}`,
      { id: String(rule.id) },
      { headers: await bearerHeaders("viewer") },
    );
    expect(viewer.status).toBe(403);
    expect((await auditRows()).map((r) => r.action)).toEqual(["alert_rule.create", "alert_rule.update"]);
  });

  it("deletes a firing rule: resolved once with a signed webhook naming the deletion, no state left anywhere", async () => {
    const db = await getDb();
    const admin = await bearerHeaders("admin");
    const rule = (await (await post(admin, nodeDown)).json()) as AlertRule;
    const edge = simulatedNode("edge1", Date.now() - 10_000);
    const feed = async (down: boolean) => {
      const snapshot = edge.next({ down });
      putNodeSnapshot(snapshot);
      await evaluateAlertsAfterSnapshot(db, snapshot);
      await getAlertEngine(db).idle();
    };
    await feed(true);
    expect(getFleetSnapshot().alerts.map((a) => [a.rule, a.node])).toEqual([[nodeDown.name, "edge1"]]);
    expect(hook.received).toHaveLength(1);

    const response = await callRoute(
      deleteRuleRoute,
      "DELETE",
      `/api/v1/alerts/rules/${rule.id}`,
      { id: String(rule.id) },
      { headers: admin },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ deleted: { id: rule.id }, resolved: ["edge1"] });
    await getAlertEngine(db).idle();

    expect(hook.received).toHaveLength(2);
    const last = hook.received[1];
    expect(verifySignature(SECRET, last?.body ?? "", last?.signature)).toBe(true);
    expect(AlertNotificationSchema.parse(JSON.parse(last?.body ?? ""))).toMatchObject({
      event: "resolved",
      ruleId: rule.id,
      node: "edge1",
      message: `edge1: ${nodeDown.name} resolved — the rule was deleted by token:admin-script`,
    });
    expect(await db.alertState.count()).toBe(0);
    expect(getFleetSnapshot().alerts).toEqual([]);
    expect(getAlertEngine(db).firing()).toEqual([]);
    const alerts = await callRoute(getAlertsRoute, "GET", "/api/v1/alerts", {}, { headers: admin });
    expect(((await alerts.json()) as { firing: unknown[] }).firing).toEqual([]);
    const events = await db.event.findMany({
      where: { kind: { startsWith: "alert_" } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["alert_firing", "alert_resolved"]);
    const audit = (await auditRows()).at(-1);
    expect([audit?.action, audit?.detail]).toEqual([
      "alert_rule.delete",
      expect.objectContaining({ name: nodeDown.name, resolvedFiring: ["edge1"] }),
    ]);

    // the node stays down: nothing evaluates the deleted rule any more
    await feed(true);
    await feed(true);
    expect(hook.received).toHaveLength(2);
    expect(await db.alertState.count()).toBe(0);
  });

  it("resolves a firing alert once when its node is removed (nothing would evaluate it any more)", async () => {
    const db = await getDb();
    const admin = await bearerHeaders("admin");
    expect((await post(admin, nodeDown)).status).toBe(201);
    await db.kamailioNode.createMany({
      data: [
        { name: "edge1", rpcUrl: "http://edge1.test/RPC", source: "cli" },
        { name: "edge2", rpcUrl: "http://edge2.test/RPC", source: "cli" },
      ],
    });
    const edge1 = simulatedNode("edge1", Date.now() - 20_000);
    const edge2 = simulatedNode("edge2", Date.now() - 20_000);
    const feed = async (node: typeof edge1, down: boolean) => {
      const snapshot = node.next({ down });
      putNodeSnapshot(snapshot);
      await evaluateAlertsAfterSnapshot(db, snapshot);
      await getAlertEngine(db).idle();
    };
    await feed(edge1, true);
    await feed(edge2, false);
    expect(hook.received).toHaveLength(1);
    // the poller's view after the node was removed: gone from kamailio_node and from the live store
    await db.kamailioNode.delete({ where: { name: "edge1" } });
    retainNodes(new Set(["edge2"]));
    getAlertEngine(db).invalidateRules();
    await feed(edge2, false);
    await feed(edge2, false);
    expect(hook.received).toHaveLength(2);
    expect(AlertNotificationSchema.parse(JSON.parse(hook.received[1]?.body ?? ""))).toMatchObject({
      event: "resolved",
      node: "edge1",
      message: `edge1: ${nodeDown.name} resolved — the node is no longer polled (removed or disabled)`,
    });
    expect(getFleetSnapshot().alerts).toEqual([]);
    expect((await db.alertState.findMany()).map((a) => [a.node, a.state]).sort()).toEqual([
      ["edge1", "resolved"],
      ["edge2", "ok"],
    ]);
    await db.kamailioNode.deleteMany();
  });

  it("does not bring the default rules back once an admin deleted every rule", async () => {
    const admin = await bearerHeaders("admin");
    const { getAlertRules } = await import("@/lib/alerts/queries");
    const db = await getDb();
    const defaults = await getAlertRules(db);
    expect(defaults).toHaveLength(6);
    for (const rule of defaults) {
      const id = String(rule.id);
      const response = await callRoute(
        deleteRuleRoute,
        "DELETE",
        `/api/v1/alerts/rules/${id}`,
        { id },
        {
          headers: admin,
        },
      );
      expect(response.status).toBe(200);
    }
    expect(await getAlertRules(db)).toEqual([]);
    expect((await auditRows()).filter((r) => r.action === "alert_rule.delete")).toHaveLength(6);
  });
});
