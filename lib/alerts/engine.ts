import { log } from "@/lib/log";
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
  /**
   * After `rule` was deleted (its alert_state rows went with it): forgets its alerts and, for each of `firing`
   * (its alerts that were firing), writes an alert_resolved event and delivers a "resolved" notification whose
   * message says the rule was deleted, so receivers close what they opened. Queued after evaluations in progress.
   */
  forgetRule: (rule: AlertRule, firing: readonly StoredAlert[], by: string) => Promise<void>;
  /** Resolves once queued evaluations and deliveries have finished (tests, shutdown). */
  idle: () => Promise<void>;
};

const keyOf = (ruleId: number, node: string) => `${ruleId}|${node}`;

/** A write that failed because the rule's row is gone (foreign key P2003, or the row to update P2025). */
function ruleIsGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2003" || code === "P2025";
}

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
  /** The rules, and the names of the enabled nodes (kamailio_node), loaded together and cached rulesTtlMs. */
  let rules: { list: AlertRule[]; nodes: ReadonlySet<string>; loadedAt: number } | null = null;
  let queue: Promise<void> = Promise.resolve();
  const deliveries = new Set<Promise<void>>();

  async function currentRules(): Promise<AlertRule[]> {
    if (!rules || Date.now() - rules.loadedAt > rulesTtlMs) {
      await seedDefaultRules(db);
      const nodes = await db.kamailioNode.findMany({ where: { enabled: true }, select: { name: true } });
      rules = { list: await loadRules(db), nodes: new Set(nodes.map((n) => n.name)), loadedAt: Date.now() };
    }
    return rules.list;
  }

  /**
   * Alerts of a node kamdash no longer polls (neither an enabled node in kamailio_node nor in the live fleet:
   * removed or disabled) would otherwise stay as they were forever, since nothing evaluates them any more: a firing
   * one is resolved (event + notification saying why), a pending one goes back to ok.
   */
  async function retireUnpolledNodes(fleet: readonly NodeSnapshot[], atMs: number): Promise<void> {
    const live = new Set(fleet.map((n) => n.name));
    const byId = new Map((rules?.list ?? []).map((r) => [r.id, r]));
    for (const alert of [...(alerts?.values() ?? [])]) {
      const { node, memory } = alert;
      if (node === FLEET_NODE || live.has(node) || rules?.nodes.has(node) !== false) continue;
      const rule = byId.get(alert.ruleId);
      if (!rule || (memory.state !== "firing" && memory.state !== "pending")) continue;
      const firingNow = memory.state === "firing";
      const next: StoredAlert = {
        ...alert,
        memory: firingNow
          ? { ...memory, state: "resolved", sinceMs: atMs, clearSinceMs: null, resolvedAtMs: atMs }
          : { ...memory, state: "ok", sinceMs: atMs },
        message: firingNow
          ? `${node}: ${rule.name} resolved — the node is no longer polled (removed or disabled)`
          : alert.message,
      };
      alerts?.set(keyOf(alert.ruleId, node), next);
      await saveAlertState(db, next);
      if (firingNow) await notify(rule, next, "resolved", atMs);
    }
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
      log.error({ err: error }, "alerts: delivery failed"),
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
    if (!before || memoryMoved(memory, next) || transition) {
      try {
        await saveAlertState(db, alert);
      } catch (error) {
        if (!ruleIsGone(error)) throw error;
        // deleted while this evaluation ran on the cached rules: forgetRule (queued next) says the rest
        alerts?.delete(key);
        rules = null;
        return;
      }
    }
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
    await retireUnpolledNodes(fleet, atMs);
    options.onFiring?.(firing());
  }

  return {
    onNodeSnapshot(snapshot, fleet) {
      const next = queue.then(() => run(snapshot, fleet));
      queue = next.catch((error: unknown) => log.error({ err: error }, "alerts: evaluation failed"));
      return next;
    },
    firing,
    invalidateRules() {
      rules = null;
    },
    forgetRule(rule, firingAlerts, by) {
      const next = queue.then(async () => {
        for (const key of [...(alerts?.keys() ?? [])]) {
          if (alerts?.get(key)?.ruleId === rule.id) alerts.delete(key);
        }
        if (rules) rules = { ...rules, list: rules.list.filter((r) => r.id !== rule.id) };
        const atMs = Date.now();
        for (const alert of firingAlerts) {
          const where = alert.node === FLEET_NODE ? "fleet" : alert.node;
          const resolved: StoredAlert = {
            ...alert,
            memory: {
              ...alert.memory,
              state: "resolved",
              sinceMs: atMs,
              clearSinceMs: null,
              resolvedAtMs: atMs,
            },
            message: `${where}: ${rule.name} resolved — the rule was deleted by ${by}`,
          };
          await notify(rule, resolved, "resolved", atMs);
        }
        options.onFiring?.(firing());
      });
      queue = next.catch((error: unknown) => log.error({ err: error }, "alerts: forgetting a rule failed"));
      return next;
    },
    async idle() {
      await queue;
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
  };
}
