import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlertsAfterSnapshot, getAlertEngine, resetAlertEngine } from "@/lib/alerts/hook";
import { AlertNotificationSchema } from "@/lib/alerts/notification";
import { verifySignature } from "@/lib/alerts/signature";
import { getDb } from "@/lib/db";
import { getFleetSnapshot, putNodeSnapshot, resetLiveStore } from "@/lib/poller/live";
import {
  type SmtpReceiver,
  simulatedNode,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from "./alerts-support";
import { createTempAppDatabase } from "./app-database";

// Alerts end to end on real PostgreSQL: snapshots built like the poller's (simulated 2 s clock) go through the
// poller's hook; a real local HTTP receiver and a real SMTP server (smtp-server) receive the notifications.

const SECRET = "alerts-integration-secret";
const T0 = Date.parse("2026-03-01T12:00:00Z");
let database: { drop: () => Promise<void> };
let hook: WebhookReceiver;
let smtp: SmtpReceiver;
const edge1 = simulatedNode("edge1", T0);

beforeAll(async () => {
  database = await createTempAppDatabase("alerts");
  hook = await startWebhookReceiver();
  smtp = await startSmtpReceiver();
  process.env.KAMDASH_ALERT_WEBHOOKS = hook.url;
  process.env.KAMDASH_ALERT_WEBHOOK_SECRET = SECRET;
  process.env.KAMDASH_SMTP_URL = smtp.url;
  process.env.KAMDASH_ALERT_EMAIL_TO = "noc@example.org";
  resetLiveStore();
  resetAlertEngine();
});

afterAll(async () => {
  for (const name of [
    "KAMDASH_ALERT_WEBHOOKS",
    "KAMDASH_ALERT_WEBHOOK_SECRET",
    "KAMDASH_SMTP_URL",
    "KAMDASH_ALERT_EMAIL_TO",
  ]) {
    delete process.env[name];
  }
  resetAlertEngine();
  resetLiveStore();
  await Promise.all([hook?.close(), smtp?.close()]);
  await database?.drop();
});

/** `steps` poll cycles of one node through the poller's hook, waiting for evaluation and delivery each time. */
async function feed(
  node: ReturnType<typeof simulatedNode>,
  steps: number,
  options: Parameters<typeof node.next>[0],
) {
  const db = await getDb();
  for (let i = 0; i < steps; i += 1) {
    const snapshot = node.next(options);
    putNodeSnapshot(snapshot);
    evaluateAlertsAfterSnapshot(db, snapshot);
    await getAlertEngine(db).idle();
  }
}

const bodies = () => hook.received.map((r) => AlertNotificationSchema.parse(JSON.parse(r.body)));

describe("alerts on the branch-failure rate", () => {
  it("seeds the default rules and fires exactly once after 5 min over 1 %, signed, stored and in the snapshot", async () => {
    await feed(edge1, 10, { failedPerStep: 0 });
    await feed(edge1, 145, { failedPerStep: 1 }); // 10 % for 290 s: pending, not yet firing
    expect(hook.received).toEqual([]);
    await feed(edge1, 20, { failedPerStep: 1 });

    const db = await getDb();
    expect(await db.alertRule.count()).toBe(6);
    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    expect(
      verifySignature(SECRET, delivery?.body ?? "", delivery?.signature, Math.floor(Date.now() / 1000)),
    ).toBe(true);
    expect(bodies()[0]).toMatchObject({
      event: "firing",
      rule: "Branch failures over 1 % (5 min)",
      metric: "branch_failure_rate",
      node: "edge1",
      threshold: 0.01,
      severity: "warning",
    });
    expect(bodies()[0]?.value).toBeGreaterThan(0.01);

    const rule = await db.alertRule.findUniqueOrThrow({
      where: { name: "Branch failures over 1 % (5 min)" },
    });
    const state = await db.alertState.findUniqueOrThrow({
      where: { ruleId_node: { ruleId: rule.id, node: "edge1" } },
    });
    expect(state).toMatchObject({ state: "firing", resolvedAt: null });
    expect(state.firedAt).not.toBeNull();

    const banner = getFleetSnapshot().alerts;
    expect(banner).toEqual([
      expect.objectContaining({ ruleId: rule.id, node: "edge1", severity: "warning", rule: rule.name }),
    ]);
    expect(await db.event.count({ where: { kind: "alert_firing" } })).toBe(1);
    expect(await db.alertDelivery.findMany({ select: { channel: true, ok: true, attempt: true } })).toEqual(
      expect.arrayContaining([
        { channel: "webhook", ok: true, attempt: 1 },
        { channel: "email", ok: true, attempt: 1 },
      ]),
    );
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toContain("Subject: [kamdash warning] FIRING: Branch failures");
    expect(smtp.mails[0]).toContain("event: firing\r\nrule: Branch failures over 1 % (5 min)");
  });

  it("keeps firing across a restart of kamdash and does not notify again while the rate stays high", async () => {
    resetAlertEngine(); // a new process: states come back from PostgreSQL
    await feed(edge1, 100, { failedPerStep: 1 });
    expect(hook.received).toHaveLength(1);
    expect(getFleetSnapshot().alerts.map((a) => a.node)).toEqual(["edge1"]);
  });

  it("resolves exactly once after the rate stayed under the clear threshold, and leaves the banner", async () => {
    await feed(edge1, 400, { failedPerStep: 0 });
    expect(bodies().map((b) => b.event)).toEqual(["firing", "resolved"]);
    const resolved = hook.received[1];
    expect(verifySignature(SECRET, resolved?.body ?? "", resolved?.signature)).toBe(true);
    expect(bodies()[1]?.value).toBeLessThanOrEqual(0.008);
    const db = await getDb();
    const state = await db.alertState.findFirstOrThrow({ where: { node: "edge1", state: { not: "ok" } } });
    expect(state.state).toBe("resolved");
    expect(state.resolvedAt).not.toBeNull();
    expect(getFleetSnapshot().alerts).toEqual([]);
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]).toContain("Subject: [kamdash warning] RESOLVED");
  });
});

describe("webhook retries", () => {
  it("delivers on the 3rd attempt when the receiver fails twice, recording every attempt", async () => {
    const edge2 = simulatedNode("edge2", T0);
    const before = hook.received.length;
    hook.failNext(2);
    await feed(edge2, 20, { down: true }); // node down for 40 s > 30 s
    const attempts = hook.received.slice(before);
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 204]);
    for (const a of attempts) expect(verifySignature(SECRET, a.body, a.signature)).toBe(true);
    expect(AlertNotificationSchema.parse(JSON.parse(attempts[2]?.body ?? ""))).toMatchObject({
      event: "firing",
      metric: "node_down",
      node: "edge2",
      severity: "critical",
    });
    const db = await getDb();
    const rows = await db.alertDelivery.findMany({
      where: { node: "edge2", channel: "webhook" },
      orderBy: { attempt: "asc" },
      select: { attempt: true, ok: true, httpStatus: true, finalAttempt: true },
    });
    expect(rows).toEqual([
      { attempt: 1, ok: false, httpStatus: 503, finalAttempt: false },
      { attempt: 2, ok: false, httpStatus: 503, finalAttempt: false },
      { attempt: 3, ok: true, httpStatus: 204, finalAttempt: true },
    ]);
  });
});
