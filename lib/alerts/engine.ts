import type { Db } from "@/lib/metrics/db";
import { writeEvent } from "@/lib/metrics/writeEvent";
import type { FleetAlert, NodeSnapshot } from "@/lib/poller/snapshot";
import type { Deliver } from "./deliver";
import { type AlertMemory, evaluate, initialMemory, memoryMoved, type Transition } from "./evaluate";
import { formatMetricValue, readFleetMetric, readMetric } from "./metrics";
import type { AlertNotification } from "./notification";
import { type AlertRule, COMPARATOR_TEXT } from "./rule-schema";
import {
  FLEET_NODE,
  loadAlertStates,
  loadRules,
  type StoredAlert,
  saveAlertState,
  seedDefaultRules,
} from "./store";

// Runs every enabled rule after each node snapshot: node rules on that node, fleet rules on all nodes. States are
// kept in memory and written to alert_state when they move; a transition writes an event and is delivered
// (webhooks, e-mail) in the background. Work is serialized: snapshots of several nodes never interleave.

export type AlertEngineOptions = {
  db: Db;
  deliver: Deliver;
  /** Called with the firing alerts after each evaluation (the hook puts them into the live snapshot). */
  onFiring?: (alerts: FleetAlert[]) => void;
  /** How long the rules are cached, ms (invalidateRules() drops them at once). */
  rulesTtlMs?: number;
};

export type AlertEngine = {
  /** Evaluates after one node's snapshot; `fleet` is every node's latest snapshot (for fleet rules). */
  onNodeSnapshot: (snapshot: NodeSnapshot, fleet: readonly NodeSnapshot[]) => Promise<void>;
  /** Firing alerts of enabled rules, oldest first. */
  firing: () => FleetAlert[];
  invalidateRules: () => void;
  /** Resolves once queued evaluations and deliveries have finished (tests, shutdown). */
  idle: () => Promise<void>;
};

const keyOf = (ruleId: number, node: string) => `${ruleId}|${node}`;

function describe(rule: AlertRule, node: string, value: number | null, transition: Transition): string {
  const where = node === FLEET_NODE ? "fleet" : node;
  const shown = formatMetricValue(rule.metric, value);
  if (transition === "resolved") return `${where}: ${rule.name} resolved — ${shown}`;
  const limit = formatMetricValue(rule.metric, rule.threshold);
  return `${where}: ${rule.name} — ${shown} ${COMPARATOR_TEXT[rule.comparator]} ${limit}`;
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const { db, deliver } = options;
  const rulesTtlMs = options.rulesTtlMs ?? 10_000;
  let alerts: Map<string, StoredAlert> | null = null;
  let rules: { list: AlertRule[]; loadedAt: number } | null = null;
  let queue: Promise<void> = Promise.resolve();
  const deliveries = new Set<Promise<void>>();

  async function currentRules(): Promise<AlertRule[]> {
    if (!rules || Date.now() - rules.loadedAt > rulesTtlMs) {
      await seedDefaultRules(db);
      rules = { list: await loadRules(db), loadedAt: Date.now() };
    }
    return rules.list;
  }

  function firing(): FleetAlert[] {
    const byId = new Map((rules?.list ?? []).filter((r) => r.enabled).map((r) => [r.id, r]));
    const list: FleetAlert[] = [];
    for (const alert of alerts?.values() ?? []) {
      const rule = byId.get(alert.ruleId);
      if (!rule || alert.memory.state !== "firing") continue;
      list.push({
        ruleId: rule.id,
        rule: rule.name,
        metric: rule.metric,
        node: alert.node === FLEET_NODE ? null : alert.node,
        severity: rule.severity,
        since: new Date(alert.memory.firedAtMs ?? alert.memory.sinceMs).toISOString(),
        value: alert.memory.value,
        message: alert.message,
      });
    }
    return list.sort((a, b) => a.since.localeCompare(b.since));
  }

  async function notify(
    rule: AlertRule,
    alert: StoredAlert,
    transition: "firing" | "resolved",
    atMs: number,
  ) {
    const node = alert.node === FLEET_NODE ? null : alert.node;
    const nodeRow = node
      ? await db.kamailioNode.findUnique({ where: { name: node }, select: { id: true } })
      : null;
    await writeEvent(db, {
      nodeId: nodeRow?.id ?? null,
      kind: `alert_${transition}`,
      severity: transition === "firing" ? rule.severity : "info",
      message: alert.message,
      at: new Date(atMs),
      detail: { ruleId: rule.id, rule: rule.name, node, value: alert.memory.value },
    });
    const notification: AlertNotification = {
      event: transition,
      ruleId: rule.id,
      rule: rule.name,
      metric: rule.metric,
      severity: rule.severity,
      node,
      value: alert.memory.value,
      comparator: rule.comparator,
      threshold: rule.threshold,
      clearThreshold: rule.clearThreshold,
      at: new Date(atMs).toISOString(),
      firedAt: alert.memory.firedAtMs === null ? null : new Date(alert.memory.firedAtMs).toISOString(),
      message: alert.message,
    };
    const job = deliver(notification).catch((error: unknown) =>
      console.error("[alerts] delivery failed", error),
    );
    deliveries.add(job);
    void job.finally(() => deliveries.delete(job));
  }

  async function step(rule: AlertRule, node: string, value: number | null, atMs: number): Promise<void> {
    const key = keyOf(rule.id, node);
    const before = alerts?.get(key);
    const memory: AlertMemory = before?.memory ?? initialMemory(atMs);
    const { memory: next, transition } = evaluate(rule, memory, value, atMs);
    const message = transition ? describe(rule, node, next.value, transition) : (before?.message ?? "");
    const alert: StoredAlert = { ruleId: rule.id, node, memory: next, message };
    alerts?.set(key, alert);
    if (!before || memoryMoved(memory, next) || transition) await saveAlertState(db, alert);
    if (transition) await notify(rule, alert, transition, atMs);
  }

  async function run(snapshot: NodeSnapshot, fleet: readonly NodeSnapshot[]): Promise<void> {
    if (!alerts) {
      alerts = new Map((await loadAlertStates(db)).map((a) => [keyOf(a.ruleId, a.node), a]));
    }
    const atMs = Date.parse(snapshot.polledAt);
    for (const rule of await currentRules()) {
      if (!rule.enabled) continue;
      if (rule.scope === "fleet") {
        await step(rule, FLEET_NODE, readFleetMetric(rule.metric, fleet), atMs);
      } else if (rule.node === null || rule.node === snapshot.name) {
        await step(rule, snapshot.name, readMetric(rule.metric, snapshot), atMs);
      }
    }
    options.onFiring?.(firing());
  }

  return {
    onNodeSnapshot(snapshot, fleet) {
      const next = queue.then(() => run(snapshot, fleet));
      queue = next.catch((error: unknown) => console.error("[alerts] evaluation failed", error));
      return next;
    },
    firing,
    invalidateRules() {
      rules = null;
    },
    async idle() {
      await queue;
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
  };
}
