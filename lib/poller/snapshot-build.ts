import type { KamailioInfo, Reading } from "./readings";
import {
  byKey,
  type FleetAlert,
  type FleetSnapshot,
  type FleetTotals,
  type MeasuredNumbers,
  type NodeMeasurement,
  type NodeNumbers,
  type NodeReadings,
  type NodeSnapshot,
  nodeNumberKeys,
} from "./snapshot-schema";

type NodeIdentity = { name: string; rpcUrl: string; intervalMs: number };
type PollTiming = { polledAt: Date; durationMs: number };

const fleetNumberKeys = nodeNumberKeys.filter((key) => key !== "aors") as Exclude<
  keyof NodeNumbers,
  "aors"
>[];

function pickNumbers(m: MeasuredNumbers): MeasuredNumbers {
  return byKey(nodeNumberKeys, (key) => m[key]);
}

/** Readings of a measurement that came without them (tests, older callers): fresh where a value exists. */
function defaultReadings(numbers: MeasuredNumbers, at: string): NodeReadings {
  return byKey(
    nodeNumberKeys,
    (key): Reading =>
      numbers[key] === null
        ? { state: "unavailable", reason: "not measured", measuredAt: null, source: null }
        : { state: "ok", reason: null, measuredAt: at, source: null },
  );
}

/**
 * An answering node. `lastUp` keeps only values measured fresh in this cycle merged over the previous ones, so a
 * node that goes down later shows what it last really reported.
 */
export function buildUpNodeSnapshot(
  node: NodeIdentity,
  timing: PollTiming,
  measurement: NodeMeasurement,
  kamailio: KamailioInfo | null = null,
): NodeSnapshot {
  const numbers = pickNumbers(measurement);
  const at = timing.polledAt.toISOString();
  return {
    name: node.name,
    rpcUrl: node.rpcUrl,
    intervalMs: node.intervalMs,
    polledAt: at,
    durationMs: timing.durationMs,
    up: true,
    error: null,
    lastUpAt: at,
    ...numbers,
    readings: measurement.readings ?? defaultReadings(numbers, at),
    rtpengines: measurement.rtpengines,
    branches: measurement.branches,
    branchFailure: measurement.branchFailure ?? null,
    sessionsVsCalls: measurement.sessionsVsCalls ?? null,
    handshake: measurement.handshake ?? null,
    socketsVsRegistrations: measurement.socketsVsRegistrations ?? null,
    canary: null, // lib/poller/poller.ts puts the canary's own state in
    stats: measurement.stats,
    lastUp: numbers,
    probes: measurement.probes ?? [],
    rejected: measurement.rejected ?? [],
    kamailio,
    unavailable: measurement.unavailable ?? [],
  };
}

/** A node that did not answer its liveness call: null metrics, previous lastUp / lastUpAt / version kept. */
export function buildDownNodeSnapshot(
  node: NodeIdentity,
  timing: PollTiming,
  error: string,
  previous: Pick<NodeSnapshot, "lastUpAt" | "lastUp"> | undefined,
  kamailio: KamailioInfo | null = null,
): NodeSnapshot {
  return {
    name: node.name,
    rpcUrl: node.rpcUrl,
    intervalMs: node.intervalMs,
    polledAt: timing.polledAt.toISOString(),
    durationMs: timing.durationMs,
    up: false,
    error,
    lastUpAt: previous?.lastUpAt ?? null,
    ...byKey(nodeNumberKeys, () => null),
    readings: null,
    rtpengines: null,
    branches: null,
    branchFailure: null,
    sessionsVsCalls: null,
    handshake: null,
    socketsVsRegistrations: null,
    canary: null,
    stats: null,
    lastUp: previous?.lastUp ?? null,
    probes: [],
    rejected: [],
    kamailio,
    unavailable: [],
  };
}

/** Totals sum the up nodes' shown values (stale ones included); a number no up node has is null, not 0. */
export function computeFleetTotals(nodes: readonly NodeSnapshot[]): FleetTotals {
  const totals: FleetTotals = {
    ...byKey(fleetNumberKeys, () => null),
    nodesUp: 0,
    nodesTotal: nodes.length,
    incomplete: [],
  };
  const incomplete = new Set<string>();
  for (const n of nodes) {
    if (!n.up) continue;
    totals.nodesUp += 1;
    for (const key of fleetNumberKeys) {
      const value = n[key];
      if (value === null) incomplete.add(key);
      else totals[key] = (totals[key] ?? 0) + value;
    }
  }
  totals.incomplete = fleetNumberKeys.filter((key) => incomplete.has(key));
  return totals;
}

export function buildFleetSnapshot(
  nodes: readonly NodeSnapshot[],
  intervalMs: number,
  generatedAt: Date,
  alerts: readonly FleetAlert[] = [],
  historyStore: FleetSnapshot["historyStore"] = null,
): FleetSnapshot {
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  return {
    generatedAt: generatedAt.toISOString(),
    intervalMs,
    nodes: sorted,
    totals: computeFleetTotals(sorted),
    alerts: [...alerts],
    historyStore,
  };
}
