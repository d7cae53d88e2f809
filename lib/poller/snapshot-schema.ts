import { z } from "zod";
import { CanaryStateSchema } from "@/lib/canary/schema";
import { HistoryStoreStatusSchema } from "@/lib/metrics/history-store-status";
import { RtpengineInstanceStatsSchema } from "@/lib/rtpengine/instance-stats";
import { BranchFailureSchema } from "./branch-windows";
import { HandshakeSummarySchema } from "./handshake-windows";
import { KamailioInfoSchema, ProbeStatusSchema, ReadingSchema, RejectionSchema } from "./readings";
import { SessionsVsCallsSchema } from "./sessions-calls";
import { SocketsVsRegistrationsSchema } from "./sockets-registrations";

// The live snapshot contract (poller writes it, UI / API / SSE read it).
// Metric fields are null while a node is down — never zeros; `lastUp` keeps the last values seen while up.
// On an up node each headline number has a Reading: a failing probe's number is its last good value while young
// enough (state "stale", with measuredAt), else null with the reason; `probes` lists every probe's own state.

export const RtpengineStateSchema = z.object({
  url: z.string(),
  set: z.number().int(),
  /** Kamailio uses it for calls, and (when pinged) it answered NG. */
  up: z.boolean(),
  /** Not used by Kamailio now: unreachable (failed its ping) or disabled by an operator. */
  disabled: z.boolean(),
  state: z.enum(["up", "unreachable", "disabled"]),
  /** "up", "unreachable, retry in 42 s", "disabled (permanent)", plus an NG ping failure when there is one. */
  label: z.string(),
  /** Seconds until Kamailio re-checks an unreachable instance; null when not scheduled. */
  recheckSeconds: z.number().int().nullable(),
  /** NG ping answer from kamdash: true, false, or null when not pinged. */
  ngAnswered: z.boolean().nullable(),
  /**
   * What the instance reports about itself this cycle (NG `statistics`, or /metrics when NG is silent): sessions,
   * packet/byte/error rates, MOS/jitter/loss averages, ports. null with `statsReason` when unknown this cycle;
   * absent when kamdash does not ping media servers (KAMDASH_RTPENGINE_PING=off).
   */
  stats: RtpengineInstanceStatsSchema.nullable().optional(),
  statsReason: z.string().nullable().optional(),
});
export type RtpengineState = z.infer<typeof RtpengineStateSchema>;

export const BranchCountersSchema = z.object({
  // "<from>_<to>", e.g. "wss_udp"
  direction: z.string(),
  /** null when the value read could not be true (see `rejected`). */
  relayed: z.number().nullable(),
  failed: z.number().nullable(),
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
/** The numeric fields of a node, as numbers. */
export type NodeNumbers = z.infer<typeof NodeNumbersSchema>;
export const nodeNumberKeys = Object.keys(NodeNumbersSchema.shape) as (keyof NodeNumbers)[];

/** An object with one entry per key, in the keys' order. */
export function byKey<K extends keyof NodeNumbers, V>(
  keys: readonly K[],
  value: (key: K) => V,
): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}

/**
 * The numbers of an up node (and its `lastUp`): each is null when the probe behind it is unavailable, failing
 * past its stale limit, or its value was rejected — never a made-up zero.
 */
export const MeasuredNumbersSchema = z.object(byKey(nodeNumberKeys, () => z.number().nullable()));
export type MeasuredNumbers = z.infer<typeof MeasuredNumbersSchema>;

/** A probe the node could not serve in this cycle, and Kamailio's reason (e.g. "cnt.grp_get_all: …"). */
export const UnavailableProbeSchema = z.object({ probe: z.string(), reason: z.string() });
export type UnavailableProbe = z.infer<typeof UnavailableProbeSchema>;

export const NodeReadingsSchema = z.object(byKey(nodeNumberKeys, () => ReadingSchema));
export type NodeReadings = z.infer<typeof NodeReadingsSchema>;

export const NodeSnapshotSchema = z.object({
  name: z.string(),
  rpcUrl: z.string(),
  /** ISO time this node's poll cycle finished. */
  polledAt: z.string(),
  intervalMs: z.number(),
  /** Kamailio answered its liveness call (core.uptime). Failing probes leave the node up. */
  up: z.boolean(),
  error: z.string().nullable(),
  durationMs: z.number(),
  /** ISO time of the last successful poll; null if never up since start. */
  lastUpAt: z.string().nullable(),
  ...byKey(nodeNumberKeys, () => z.number().nullable()),
  /** Per headline number: state, reason, when measured, source. null when the node is down. */
  readings: NodeReadingsSchema.nullable().default(null),
  rtpengines: z.array(RtpengineStateSchema).nullable(),
  branches: z.array(BranchCountersSchema).nullable(),
  /** Branch-failure rate per direction over 1 min, 5 min and 1 h; null when the node has no branch counters. */
  branchFailure: BranchFailureSchema.nullable().default(null),
  /**
   * WebSocket handshake probe: the last attempt and p50/p95/max over 1 min, 5 min, 1 h; null when the node has no
   * handshake target or no attempt yet.
   */
  handshake: HandshakeSummarySchema.nullable().default(null),
  /** RTPEngine sessions (NG statistics) against answered dialogs in this cycle; null when either is unknown. */
  sessionsVsCalls: SessionsVsCallsSchema.nullable().default(null),
  /**
   * WS/WSS connections with and without a registration, and registrations whose connection is gone, from the
   * last ul.dump (its own cadence: see measuredAt); null when unknown (contacts probe not ok, usrloc DB-only).
   */
  socketsVsRegistrations: SocketsVsRegistrationsSchema.nullable().default(null),
  /**
   * Synthetic canary (lib/canary): its last run (outcome, register/setup/BYE ms, SDP checks; no password) and
   * ok/failing with consecutive failures; null when the canary is off, has no target here, or has not run yet.
   */
  canary: CanaryStateSchema.nullable().default(null),
  /** websocket / dialog / tmx stats keyed as stats.fetch names them, e.g. "websocket.ws_current_connections". */
  stats: z.record(z.string(), z.number()).nullable(),
  lastUp: MeasuredNumbersSchema.nullable(),
  /** Every probe's own state (empty while the node is down). */
  probes: z.array(ProbeStatusSchema).default([]),
  /** Values read in this cycle that could not be true, with the rule each broke. */
  rejected: z.array(RejectionSchema).default([]),
  /** Version and uptime, kept while the node is down. */
  kamailio: KamailioInfoSchema.nullable().default(null),
  /** Probes this node cannot serve (their fields are null); empty when down. Same as probes in state unavailable. */
  unavailable: z.array(UnavailableProbeSchema).default([]),
});
export type NodeSnapshot = z.infer<typeof NodeSnapshotSchema>;

/**
 * Headline numbers summed over the nodes that are up (stale values included). null when no up node has a value;
 * `incomplete` lists the numbers some up node could not give (unavailable, failing, rejected).
 */
export const FleetTotalsSchema = z.object({
  ...byKey(nodeNumberKeys.filter((k) => k !== "aors") as Exclude<keyof NodeNumbers, "aors">[], () =>
    z.number().nullable(),
  ),
  nodesUp: z.number(),
  nodesTotal: z.number(),
  incomplete: z.array(z.string()).default([]),
});
export type FleetTotals = z.infer<typeof FleetTotalsSchema>;

// ---- alerts (lib/alerts): the firing ones travel with the fleet snapshot for the banner and the wall
export const FleetAlertSchema = z.object({
  ruleId: z.number().int(),
  /** The rule's name, e.g. "Node down". */
  rule: z.string(),
  /** lib/alerts/metrics.ts name, e.g. "branch_failure_rate". */
  metric: z.string(),
  /** null for a fleet-wide rule. */
  node: z.string().nullable(),
  severity: z.enum(["info", "warning", "critical"]),
  /** ISO time it fired. */
  since: z.string(),
  /** Last known value in the metric's unit (ratio 0..1, ms, count). */
  value: z.number().nullable(),
  message: z.string(),
});
export type FleetAlert = z.infer<typeof FleetAlertSchema>;

export const FleetSnapshotSchema = z.object({
  generatedAt: z.string(),
  intervalMs: z.number(),
  nodes: z.array(NodeSnapshotSchema),
  totals: FleetTotalsSchema,
  /** Firing alerts (lib/alerts), oldest first; empty when none fire. */
  alerts: z.array(FleetAlertSchema).default([]),
  /** Whether the history store takes writes, and what waits in memory (lib/metrics/write-buffer.ts); absent before
   * the poller's first write. */
  historyStore: HistoryStoreStatusSchema.nullable().optional(),
});
export type FleetSnapshot = z.infer<typeof FleetSnapshotSchema>;

/** Measured fields of an answered poll (what the probes produce for one node). */
export type NodeMeasurement = MeasuredNumbers & {
  readings?: NodeReadings;
  rtpengines: RtpengineState[] | null;
  branches: BranchCounters[] | null;
  branchFailure?: z.infer<typeof BranchFailureSchema> | null;
  sessionsVsCalls?: z.infer<typeof SessionsVsCallsSchema> | null;
  handshake?: z.infer<typeof HandshakeSummarySchema> | null;
  /** Set when the contacts were joined in this cycle; poll-node keeps the last one between ul.dumps. */
  socketsVsRegistrations?: z.infer<typeof SocketsVsRegistrationsSchema> | null;
  stats: Record<string, number>;
  probes?: z.infer<typeof ProbeStatusSchema>[];
  rejected?: z.infer<typeof RejectionSchema>[];
  unavailable?: UnavailableProbe[];
};
