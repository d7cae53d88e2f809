import { getDb, getOpenDatabase } from "@/lib/db";
import { log } from "@/lib/log";
import { createMaintenance } from "@/lib/metrics/maintenance";
import { readRetentionConfig } from "@/lib/metrics/retention-config";
import { readPollerConfig } from "./config";
import { replicaId } from "./leases";
import { createPoller, type Poller } from "./poller";
import { createReplica } from "./replica";
import { stopOnSignals } from "./scheduler";

// The one poller of this process (globalThis: Next may evaluate this module more than once).
const pollerKey = Symbol.for("kamdash.poller");
type PollerGlobal = typeof globalThis & { [pollerKey]?: Promise<Poller | null> };
const holder = globalThis as PollerGlobal;

/** Starts polling every enabled node once per process; null when KAMDASH_POLLER=off. */
export function startPoller(): Promise<Poller | null> {
  holder[pollerKey] ??= (async () => {
    const config = readPollerConfig();
    if (!config.enabled) {
      log.info("poller: KAMDASH_POLLER=off: not polling");
      return null;
    }
    const retention = readRetentionConfig();
    const db = await getDb();
    // on PostgreSQL several replicas may share the database: each polls the nodes it holds a lease on
    const { config: database } = await getOpenDatabase();
    const replica =
      database.kind === "postgres"
        ? createReplica({ db, id: replicaId(), intervalMs: config.intervalMs, listenUrl: database.url })
        : undefined;
    const polling = createPoller({ db, config, replica });
    await polling.start();
    // rollups + retention every 60 s (lib/metrics/maintenance.ts), stopped together with the polling
    const maintenance = createMaintenance({ db, retention });
    await maintenance.start();
    const poller: Poller = {
      ...polling,
      stopAll: async () => {
        await Promise.all([polling.stopAll(), maintenance.stopAll()]);
      },
    };
    stopOnSignals(poller);
    const shared = replica ? ` (replica ${replica.id}: the nodes it holds a lease on)` : "";
    log.info(`poller: polling ${poller.keys().length} node(s) every ${config.intervalMs} ms${shared}`);
    return poller;
  })();
  return holder[pollerKey];
}

/** The running poller, if started (e.g. to notify() it after a node was added). */
export async function getPoller(): Promise<Poller | null> {
  return (await holder[pollerKey]) ?? null;
}

export async function stopPoller(): Promise<void> {
  const running = holder[pollerKey];
  delete holder[pollerKey];
  const poller = await running?.catch(() => null);
  await poller?.stopAll();
}
