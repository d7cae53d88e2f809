import { log } from "@/lib/log";
import type { HistoryStoreStatus } from "@/lib/metrics/history-store-status";
import { buildFleetSnapshot, type FleetAlert, type FleetSnapshot, type NodeSnapshot } from "./snapshot";

// The in-memory latest snapshot per node, shared by the poller and route handlers of the same process
// (kept on globalThis so Next's separately bundled route modules and instrumentation see one store).

export type SnapshotListener = (fleet: FleetSnapshot) => void;

type LiveStore = {
  nodes: Map<string, NodeSnapshot>;
  /** Heavy probes a page asked for, by node: run on the node's next cycle. */
  demands: Map<string, Set<string>>;
  intervalMs: number;
  listeners: Set<SnapshotListener>;
  /** Firing alerts, set by lib/alerts after each evaluation. */
  alerts?: FleetAlert[];
  /** Reads the history store's state and write buffer (lib/metrics/write-buffer.ts), set by the poller. */
  historyStore?: (() => HistoryStoreStatus) | null;
};

const storeKey = Symbol.for("kamdash.poller.live");
type GlobalWithStore = typeof globalThis & { [storeKey]?: LiveStore };

function store(): LiveStore {
  const g = globalThis as GlobalWithStore;
  g[storeKey] ??= { nodes: new Map(), demands: new Map(), intervalMs: 2000, listeners: new Set() };
  return g[storeKey];
}

export function getFleetSnapshot(now: Date = new Date()): FleetSnapshot {
  const s = store();
  return buildFleetSnapshot([...s.nodes.values()], s.intervalMs, now, s.alerts, s.historyStore?.() ?? null);
}

/** The poller: where the fleet snapshot reads the history store's state from now on (read at each snapshot). */
export function setHistoryStoreStatus(read: (() => HistoryStoreStatus) | null): void {
  store().historyStore = read;
}

/** lib/alerts: the firing alerts the fleet snapshot carries from now on (publish() to send them). */
export function setFleetAlerts(alerts: readonly FleetAlert[]): void {
  store().alerts = [...alerts];
}

export function getNodeSnapshot(name: string): NodeSnapshot | undefined {
  return store().nodes.get(name);
}

export function setPollIntervalMs(intervalMs: number): void {
  store().intervalMs = intervalMs;
}

/** Stores one node's latest snapshot; call publish() once the cycle's nodes are stored. */
export function putNodeSnapshot(snapshot: NodeSnapshot): void {
  store().nodes.set(snapshot.name, snapshot);
}

/**
 * Asks for fresh heavy lists (e.g. "contacts" = ul.dump, "dialog-list" = dlg.list) on the node's next cycle,
 * whatever their cadence: what a per-user or per-call page calls when it opens.
 */
export function demandProbes(node: string, probes: readonly string[]): void {
  const s = store();
  const wanted = s.demands.get(node) ?? new Set<string>();
  for (const probe of probes) wanted.add(probe);
  s.demands.set(node, wanted);
}

/** The probes demanded for a node since the last call (the poller takes them at the start of a cycle). */
export function takeDemands(node: string): string[] {
  const s = store();
  const wanted = s.demands.get(node);
  s.demands.delete(node);
  return wanted ? [...wanted] : [];
}

/** Forgets nodes that are no longer configured; returns how many were dropped. */
export function retainNodes(names: ReadonlySet<string>): number {
  const s = store();
  let dropped = 0;
  for (const name of [...s.nodes.keys()]) {
    if (!names.has(name)) {
      s.nodes.delete(name);
      dropped += 1;
    }
  }
  return dropped;
}

/** Notifies every subscriber with the current fleet; a throwing listener never stops the others. */
export function publish(): void {
  const s = store();
  if (s.listeners.size === 0) return;
  const fleet = getFleetSnapshot();
  for (const listener of [...s.listeners]) {
    try {
      listener(fleet);
    } catch (err) {
      log.error({ err }, "poller: snapshot listener failed");
    }
  }
}

export function subscribe(listener: SnapshotListener): () => void {
  const s = store();
  s.listeners.add(listener);
  return () => {
    s.listeners.delete(listener);
  };
}

export function subscriberCount(): number {
  return store().listeners.size;
}

/** Test helper: drops all nodes and listeners. */
export function resetLiveStore(): void {
  const s = store();
  s.nodes.clear();
  s.demands.clear();
  s.listeners.clear();
  s.intervalMs = 2000;
  s.alerts = [];
  s.historyStore = null;
}
