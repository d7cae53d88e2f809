import { z } from "zod";

// The live snapshot contract (poller writes it, UI / API / SSE read it).
// Metric fields are null while a node is down — never zeros; `lastUp` keeps the last values seen while up.
// On an up node, the fields of an optional probe the node cannot serve are null too, and `unavailable` says why.

export const RtpengineStateSchema = z.object({
  url: z.string(),
  set: z.number().int(),
  up: z.boolean(),
  disabled: z.boolean(),
});
export type RtpengineState = z.infer<typeof RtpengineStateSchema>;

export const BranchCountersSchema = z.object({
  // "<from>_<to>", e.g. "wss_udp"
  direction: z.string(),
  relayed: z.number(),
  failed: z.number(),
});
export type BranchCounters = z.infer<typeof BranchCountersSchema>;

export const NodeNumbersSchema = z.object({
  ws: z.number(),
  wss: z.number(),
  registrations: z.number(),
  aors: z.number(),
  dialogsActive: z.number(),
  dialogsEarly: z.number(),
  rtpengineUp: z.number(),
  rtpengineTotal: z.number(),
});
/** The numeric fields of a node, as numbers (the fleet totals' shape). */
export type NodeNumbers = z.infer<typeof NodeNumbersSchema>;
export const nodeNumberKeys = Object.keys(NodeNumbersSchema.shape) as (keyof NodeNumbers)[];
/**
 * The numbers of an up node (and its `lastUp`): each is null when the probe behind it is unavailable on that node
 * (module not loaded, counters group missing), never a made-up zero.
 */
export const MeasuredNumbersSchema = z.object(byKey(nodeNumberKeys, () => z.number().nullable()));
export type MeasuredNumbers = z.infer<typeof MeasuredNumbersSchema>;

/** An optional probe the node could not serve this cycle, and Kamailio's reason (e.g. "cnt.grp_get_all: …"). */
export const UnavailableProbeSchema = z.object({ probe: z.string(), reason: z.string() });
export type UnavailableProbe = z.infer<typeof UnavailableProbeSchema>;

/** The numbers summed over the fleet: all but `aors`. */
const fleetNumberKeys = nodeNumberKeys.filter((key) => key !== "aors") as Exclude<
  keyof NodeNumbers,
  "aors"
>[];

/** An object with one entry per key, in the keys' order. */
function byKey<K extends keyof NodeNumbers, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}

export const NodeSnapshotSchema = z.object({
  name: z.string(),
  rpcUrl: z.string(),
  /** ISO time this node's poll cycle finished. */
  polledAt: z.string(),
  intervalMs: z.number(),
  up: z.boolean(),
  error: z.string().nullable(),
  durationMs: z.number(),
  /** ISO time of the last successful poll; null if never up since start. */
  lastUpAt: z.string().nullable(),
  ...byKey(nodeNumberKeys, () => z.number().nullable()),
  rtpengines: z.array(RtpengineStateSchema).nullable(),
  branches: z.array(BranchCountersSchema).nullable(),
  /** websocket / dialog / tmx stats keyed as stats.fetch names them, e.g. "websocket.ws_current_connections". */
  stats: z.record(z.string(), z.number()).nullable(),
  lastUp: MeasuredNumbersSchema.nullable(),
  /** Optional probes this node could not serve in this cycle (their fields are null); empty when down. */
  unavailable: z.array(UnavailableProbeSchema).default([]),
});
export type NodeSnapshot = z.infer<typeof NodeSnapshotSchema>;

export const FleetTotalsSchema = NodeNumbersSchema.omit({ aors: true }).extend({
  nodesUp: z.number(),
  nodesTotal: z.number(),
});
export type FleetTotals = z.infer<typeof FleetTotalsSchema>;

export const FleetSnapshotSchema = z.object({
  generatedAt: z.string(),
  intervalMs: z.number(),
  nodes: z.array(NodeSnapshotSchema),
  totals: FleetTotalsSchema,
});
export type FleetSnapshot = z.infer<typeof FleetSnapshotSchema>;

/** Measured fields of a successful poll (what the probes produce for one node). */
export type NodeMeasurement = MeasuredNumbers & {
  rtpengines: RtpengineState[] | null;
  branches: BranchCounters[] | null;
  stats: Record<string, number>;
  unavailable?: UnavailableProbe[];
};

type NodeIdentity = { name: string; rpcUrl: string; intervalMs: number };
type PollTiming = { polledAt: Date; durationMs: number };

function pickNumbers(m: MeasuredNumbers): MeasuredNumbers {
  return byKey(nodeNumberKeys, (key) => m[key]);
}

export function buildUpNodeSnapshot(
  node: NodeIdentity,
  timing: PollTiming,
  measurement: NodeMeasurement,
): NodeSnapshot {
  const numbers = pickNumbers(measurement);
  return {
    name: node.name,
    rpcUrl: node.rpcUrl,
    intervalMs: node.intervalMs,
    polledAt: timing.polledAt.toISOString(),
    durationMs: timing.durationMs,
    up: true,
    error: null,
    lastUpAt: timing.polledAt.toISOString(),
    ...numbers,
    rtpengines: measurement.rtpengines,
    branches: measurement.branches,
    stats: measurement.stats,
    lastUp: numbers,
    unavailable: measurement.unavailable ?? [],
  };
}

/** A node that did not answer: null metrics, previous lastUp / lastUpAt kept. */
export function buildDownNodeSnapshot(
  node: NodeIdentity,
  timing: PollTiming,
  error: string,
  previous: Pick<NodeSnapshot, "lastUpAt" | "lastUp"> | undefined,
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
    rtpengines: null,
    branches: null,
    stats: null,
    lastUp: previous?.lastUp ?? null,
    unavailable: [],
  };
}

/** Totals sum only nodes that are up. */
export function computeFleetTotals(nodes: readonly NodeSnapshot[]): FleetTotals {
  const totals: FleetTotals = { ...byKey(fleetNumberKeys, () => 0), nodesUp: 0, nodesTotal: nodes.length };
  for (const n of nodes) {
    if (!n.up) continue;
    totals.nodesUp += 1;
    for (const key of fleetNumberKeys) totals[key] += n[key] ?? 0;
  }
  return totals;
}

export function buildFleetSnapshot(
  nodes: readonly NodeSnapshot[],
  intervalMs: number,
  generatedAt: Date,
): FleetSnapshot {
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  return {
    generatedAt: generatedAt.toISOString(),
    intervalMs,
    nodes: sorted,
    totals: computeFleetTotals(sorted),
  };
}

// ---- API response shapes built on the snapshot (GET /api/v1/overview, /nodes, /series, /stream, /api/health)

export const OverviewNodeSchema = NodeSnapshotSchema.extend({
  /** ms between the node's polledAt and the response time. */
  ageMs: z.number(),
});
export type OverviewNode = z.infer<typeof OverviewNodeSchema>;

export const OverviewResponseSchema = FleetSnapshotSchema.extend({
  nodes: z.array(OverviewNodeSchema),
});
export type OverviewResponse = z.infer<typeof OverviewResponseSchema>;

export function withAges(fleet: FleetSnapshot, now: Date): OverviewResponse {
  return {
    ...fleet,
    nodes: fleet.nodes.map((n) => ({ ...n, ageMs: Math.max(0, now.getTime() - Date.parse(n.polledAt)) })),
  };
}

export const NodeListItemSchema = z.object({
  name: z.string(),
  rpcUrl: z.string(),
  enabled: z.boolean(),
  source: z.string(),
  /** null when the node has not been polled since start. */
  up: z.boolean().nullable(),
  lastPollAt: z.string().nullable(),
  ageMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type NodeListItem = z.infer<typeof NodeListItemSchema>;
export const NodeListResponseSchema = z.array(NodeListItemSchema);

export const seriesMetrics = [
  "ws",
  "wss",
  "registrations",
  "aors",
  "dialogsActive",
  "dialogsEarly",
  "rtpengineUp",
  "rtpengineTotal",
  "branchRelayed",
  "branchFailed",
  "durationMs",
] as const;
export const SeriesMetricSchema = z.enum(seriesMetrics);
export type SeriesMetric = z.infer<typeof SeriesMetricSchema>;

export const SeriesPointSchema = z.object({
  at: z.string(),
  /** null where the node was down (a gap, never a zero). */
  value: z.number().nullable(),
  up: z.boolean(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

export const SeriesResponseSchema = z.object({
  node: z.string(),
  metric: SeriesMetricSchema,
  points: z.array(SeriesPointSchema),
});
export type SeriesResponse = z.infer<typeof SeriesResponseSchema>;

export const HealthResponseSchema = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  database: z.object({ ok: z.boolean(), error: z.string().optional() }),
  nodes: z.array(z.object({ name: z.string(), up: z.boolean(), ageMs: z.number().nullable() })),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** SSE: `event: snapshot` carries an OverviewResponse JSON (FleetSnapshot + ageMs per node). */
export const SSE_SNAPSHOT_EVENT = "snapshot";
export const SSE_RETRY_MS = 2000;
export const SSE_PING_MS = 15_000;
/** How often an open stream re-checks its credentials. */
export const SSE_REAUTHORIZE_MS = 30_000;
