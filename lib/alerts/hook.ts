import { log } from "@/lib/log";
import type { Db } from "@/lib/metrics/db";
import { getFleetSnapshot, publish, setFleetAlerts } from "@/lib/poller/live";
import type { FleetAlert, NodeSnapshot } from "@/lib/poller/snapshot";
import { alertDeliveryConfigFromEnv } from "./config";
import { createDeliver } from "./deliver";
import { type AlertEngine, createAlertEngine } from "./engine";

// The one call the poller makes after publishing a node's snapshot, and the process-wide engine behind it
// (on globalThis, like the live store, so route handlers and admin actions reach the same engine).

const engineKey = Symbol.for("kamdash.alerts.engine");
type GlobalWithEngine = typeof globalThis & { [engineKey]?: { engine: AlertEngine; db: Db } };

/** Who is firing, for telling whether the stream must be sent again (values alone do not). */
const membership = (alerts: readonly FleetAlert[]) =>
  alerts.map((a) => `${a.ruleId}|${a.node}|${a.severity}|${a.since}`).join(",");

/**
 * The process's engine; made on first use with the delivery settings from the environment (and made again when
 * the database client changed, e.g. after it was closed and reopened).
 */
export function getAlertEngine(db: Db): AlertEngine {
  const g = globalThis as GlobalWithEngine;
  if (g[engineKey]?.db !== db) {
    let config: ReturnType<typeof alertDeliveryConfigFromEnv>;
    try {
      config = alertDeliveryConfigFromEnv();
    } catch (error) {
      log.error({ err: error }, "alerts: alert delivery settings are invalid: notifications are off");
      config = { webhooks: [], webhookSecret: null, email: null };
    }
    const engine = createAlertEngine({
      db,
      deliver: createDeliver(db, config),
      onFiring: (alerts) => {
        const before = membership(getFleetSnapshot().alerts);
        setFleetAlerts(alerts);
        if (membership(alerts) !== before) publish();
      },
    });
    g[engineKey] = { engine, db };
  }
  return g[engineKey].engine;
}

/** The running engine, if the poller has started one (admin actions use it to reload rules). */
export function runningAlertEngine(): AlertEngine | undefined {
  return (globalThis as GlobalWithEngine)[engineKey]?.engine;
}

/** Test helper and shutdown: forgets the engine (its states stay in PostgreSQL). */
export function resetAlertEngine(): void {
  delete (globalThis as GlobalWithEngine)[engineKey];
}

/** Evaluates the alert rules after one node's snapshot was published. Never rejects; errors are logged. */
export async function evaluateAlertsAfterSnapshot(db: Db, snapshot: NodeSnapshot): Promise<void> {
  await getAlertEngine(db)
    .onNodeSnapshot(snapshot, getFleetSnapshot().nodes)
    .catch(() => undefined); // logged by the engine
}
