import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAlertsRoute } from "@/app/api/v1/alerts/route";
import { DELETE as deleteRuleRoute } from "@/app/api/v1/alerts/rules/[id]/route";
import { GET as getRulesRoute, POST as postRuleRoute } from "@/app/api/v1/alerts/rules/route";
import type { AlertsResponse } from "@/lib/alerts/api-schema";
import { getAlertEngine, resetAlertEngine } from "@/lib/alerts/hook";
import { type AlertNotification, AlertNotificationSchema } from "@/lib/alerts/notification";
import type { AlertRule } from "@/lib/alerts/rule-schema";
import { getDb } from "@/lib/db";
import type { BranchWindow } from "@/lib/poller/branch-windows";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { type SippCallee, startSippCallee } from "../support/sipp-phones";
import { callRoute } from "./admin-support";
import { startWebhookReceiver, type WebhookReceiver } from "./alerts-support";
import { bearerFor, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// Alerts end to end against the real lab: a real poller polls the lab's Kamailio, a branch-failure rule
// (> 1 % over the 5-minute window, for 10 s, clears at ≤ 0.8 % held 5 s) is created through the API, and WSS → UDP
// calls through the gateway move the rate. Failed branches come from a SIPp callee answering 503. The rate is
// failed ÷ relayed over the whole run (it stays inside the 5-minute window), so each phase's rate is exact:
//   1. 19 answered + 1 failed = 1/20 = 5 %                 → exactly one "firing" webhook, signed
//   2. + 110 answered         = 1/130 ≈ 0.77 % (≤ 0.8 %)   → exactly one "resolved" webhook
//   3. + 1 failed             = 2/131 ≈ 1.53 %             → fires again (held 10 s): the one more hysteresis allows
//   4. flapping across 1 %: + 80 answered = 2/211 ≈ 0.95 %, + 1 failed = 3/212 ≈ 1.42 %, + 100 answered = 3/312 ≈
//      0.96 % — never ≤ 0.8 % — so no further webhook however long each side lasts.
// Lab users 42..47 (the integration slice of branch-rate-lab.test.ts; the lab is flocked per test file).

const SECRET = "alerts-lab-webhook-secret";
const CALLERS = 4;
const ANSWERED = 19 + 110 + 80 + 100;
const FAILED = 3;
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
const RULE = {
  name: "Lab branch failures over 1 %",
  metric: "branch_failure_rate",
  comparator: "gt",
  threshold: 0.01,
  forSeconds: 10,
  clearThreshold: 0.008,
  clearForSeconds: 5,
  severity: "warning",
  node: "lab",
};

let lab: LabConfig;
let polled: PolledNodes;
let hook: WebhookReceiver;
let admin: Record<string, string>;
let ruleId = 0;
const callees: SippCallee[] = [];
const callers: SipWsUa[] = [];
const users = () => lab.users.slice(42, 48);

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  for (const user of users()) await removeRegistrations(lab.rpc, user.username);
  hook = await startWebhookReceiver();
  process.env.KAMDASH_ALERT_WEBHOOKS = hook.url;
  process.env.KAMDASH_ALERT_WEBHOOK_SECRET = SECRET;
  resetAlertEngine();
  polled = await startPollingNodes("alerts_lab", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }]);
  admin = await bearerFor("admin");
  await nextCycles("lab", 2);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(callers.splice(0).map((ua) => ua.close()));
  await Promise.allSettled(callees.splice(0).map((c) => c.stop()));
  for (const user of users()) await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
  await polled?.stop();
  resetAlertEngine();
  delete process.env.KAMDASH_ALERT_WEBHOOKS;
  delete process.env.KAMDASH_ALERT_WEBHOOK_SECRET;
  await hook?.close();
});

const fiveMinutes = (s: NodeSnapshot): BranchWindow => {
  const window = s.branchFailure?.windows.find((w) => w.window === "5m");
  if (!window) throw new Error("no 5-minute branch-failure window in the snapshot");
  return window;
};

/** The README's verification snippet ("Alerts" → Webhooks), written out here rather than imported from lib. */
function documentedSignatureIsValid(rawBody: string, header: string | null): boolean {
  if (!header) return false;
  const { t, v1 } = Object.fromEntries(header.split(",").map((kv) => kv.split("="))) as Record<
    string,
    string
  >;
  if (Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac("sha256", SECRET).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Every webhook received so far, each checked for a valid signature. */
function webhooks(): AlertNotification[] {
  return hook.received.map((r) => {
    expect(documentedSignatureIsValid(r.body, r.signature), r.body).toBe(true);
    return AlertNotificationSchema.parse(JSON.parse(r.body));
  });
}

async function alertsApi(): Promise<AlertsResponse> {
  const response = await callRoute(getAlertsRoute, "GET", "/api/v1/alerts", {}, { headers: polled.headers });
  expect(response.status).toBe(200);
  return (await response.json()) as AlertsResponse;
}

async function stateInDb(): Promise<string | undefined> {
  const row = await (await getDb()).alertState.findUnique({
    where: { ruleId_node: { ruleId, node: "lab" } },
  });
  return row?.state;
}

/** `answered` calls to the answering callee and `failed` to the 503 one, over the callers in parallel. */
async function drive(answered: number, failed: number): Promise<void> {
  const [answering, failing] = users();
  if (!answering || !failing) throw new Error("not enough lab users");
  const targets = [...Array(failed).fill(failing.username), ...Array(answered).fill(answering.username)];
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    callers.map(async (ua) => {
      for (let i = next++; i < targets.length; i = next++) {
        const { response, call } = await ua.call(targets[i] as string);
        statuses.push(response.status);
        if (call) expect((await call.hangUp()).status).toBe(200);
      }
    }),
  );
  expect(statuses.filter((s) => s === 200)).toHaveLength(answered);
  expect(statuses.filter((s) => s === 500)).toHaveLength(failed); // the proxy turns the callee's 503 into 500
}

/** The 5-minute window once the poller counted `relayed` branches in all (failed `failed`). */
async function windowAt(relayed: number, failed: number): Promise<BranchWindow & { polledAt: string }> {
  for (let i = 0; i < 20; i++) {
    const snapshot = await nextCycles("lab", 1);
    const window = fiveMinutes(snapshot);
    if (window.total.relayed === relayed) {
      expect(window.total.failed).toBe(failed);
      return { ...window, polledAt: snapshot.polledAt };
    }
  }
  throw new Error(`the lab's 5-minute window did not reach ${relayed} relayed branches`);
}

/** Waits (by poll cycles, at most `cycles`) until the alert's state in PostgreSQL is `state`. */
async function untilState(state: string, cycles: number): Promise<void> {
  for (let i = 0; i < cycles && (await stateInDb()) !== state; i++) await nextCycles("lab", 1);
  await getAlertEngine(await getDb()).idle(); // its webhook delivered
  expect(await stateInDb()).toBe(state);
}

describe("a branch-failure alert on the lab", () => {
  it("is created through the API as the only rule", async () => {
    const created = await callRoute(
      postRuleRoute,
      "POST",
      "/api/v1/alerts/rules",
      {},
      { headers: admin, body: RULE },
    );
    expect(created.status).toBe(201);
    ruleId = ((await created.json()) as AlertRule).id;
    const listed = await callRoute(getRulesRoute, "GET", "/api/v1/alerts/rules", {}, { headers: admin });
    for (const rule of ((await listed.json()) as { rules: AlertRule[] }).rules) {
      if (rule.id === ruleId) continue;
      const id = String(rule.id);
      const gone = await callRoute(
        deleteRuleRoute,
        "DELETE",
        `/api/v1/alerts/rules/${id}`,
        { id },
        { headers: admin },
      );
      expect(gone.status).toBe(200);
    }
    const [answering, failing, ...callerUsers] = users();
    if (!answering || !failing) throw new Error("not enough lab users");
    callees.push(
      await startSippCallee(lab, answering, "udp", "answer", 170_000, ANSWERED),
      await startSippCallee(
        lab,
        failing,
        "udp",
        { status: 503, reason: "Service Unavailable" },
        170_000,
        FAILED,
      ),
    );
    for (const user of callerUsers.slice(0, CALLERS)) {
      callers.push(
        await SipWsUa.connect({
          url: lab.sip.wss,
          origin: lab.origins[0] ?? "",
          domain: lab.domain,
          username: user.username,
          password: user.password,
          contactTransport: "wss",
        }),
      );
    }
    expect(fiveMinutes(await nextCycles("lab", 1)).total.relayed).toBe(0);
    expect(hook.received).toEqual([]);
  }, 150_000);

  it("fires once at 1/20 = 5 % after the for-duration, signed, firing in PostgreSQL and in the API", async () => {
    await drive(19, 1);
    const breached = await windowAt(20, 1);
    expect(breached.worst).toEqual({ direction: "wss_udp", rate: 0.05 });
    await untilState("firing", 30);
    const [fired] = webhooks();
    expect(webhooks()).toEqual([
      expect.objectContaining({ event: "firing", ruleId, node: "lab", value: 0.05, threshold: 0.01 }),
    ]);
    // the for-duration: the cycle that judged 5 % (or one before it) began the count; firing came ≥ 10 s later
    expect(Date.parse(fired?.at ?? "")).toBeGreaterThan(Date.parse(breached.polledAt));
    const api = await alertsApi();
    expect(api.firing).toEqual([
      expect.objectContaining({ ruleId, rule: RULE.name, node: "lab", state: "firing", value: 0.05 }),
    ]);
    expect(
      getAlertEngine(await getDb())
        .firing()
        .map((a) => [a.ruleId, a.node]),
    ).toEqual([[ruleId, "lab"]]);
  }, 150_000);

  it("resolves once after 110 answered calls bring it to 1/130 (≤ 0.8 %) for the clear duration", async () => {
    await drive(110, 0);
    await windowAt(130, 1);
    await untilState("resolved", 30);
    expect(webhooks().map((w) => [w.event, w.value])).toEqual([
      ["firing", 0.05],
      ["resolved", 1 / 130],
    ]);
    const api = await alertsApi();
    expect(api.firing).toEqual([]);
    expect(api.resolved).toEqual([expect.objectContaining({ ruleId, node: "lab", state: "resolved" })]);
  }, 150_000);

  it("fires once more for a breach that holds, then sends nothing while the rate flaps across 1 %", async () => {
    await drive(0, 1);
    await windowAt(131, 2);
    await untilState("firing", 30);
    expect(webhooks().map((w) => w.event)).toEqual(["firing", "resolved", "firing"]);

    const seen: number[] = [];
    for (const [answered, failed, relayed, failedTotal] of [
      [80, 0, 211, 2],
      [0, 1, 212, 3],
      [100, 0, 312, 3],
    ] as const) {
      await drive(answered, failed);
      seen.push((await windowAt(relayed, failedTotal)).worst?.rate ?? Number.NaN);
      await nextCycles("lab", 8); // longer than the clear duration (5 s): time alone resolves nothing
      await getAlertEngine(await getDb()).idle();
      expect(await stateInDb()).toBe("firing");
    }
    // it did flap: below, above, below the 1 % threshold — and never down to the 0.8 % clear threshold
    expect(seen).toEqual([2 / 211, 3 / 212, 3 / 312]);
    expect(seen.map((rate) => rate > RULE.threshold)).toEqual([false, true, false]);
    expect(seen.every((rate) => rate > RULE.clearThreshold)).toBe(true);
    expect(webhooks().map((w) => w.event)).toEqual(["firing", "resolved", "firing"]);
    expect(webhooks().every((w) => w.ruleId === ruleId)).toBe(true);
    expect((await alertsApi()).firing.map((a) => a.ruleId)).toEqual([ruleId]);
    expect(polled.pollErrors).toEqual([]);
    for (const callee of callees) expect((await callee.finished()).exitCode).toBe(0);
  }, 150_000);
});
