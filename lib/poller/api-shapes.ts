import { z } from "zod";
import { KamailioInfoSchema, ProbeStatusSchema } from "./readings";
import { type FleetSnapshot, FleetSnapshotSchema, NodeSnapshotSchema } from "./snapshot-schema";

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
  /** Version and uptime (core.version, core.uptime), kept while the node is down; null before first contact. */
  kamailio: KamailioInfoSchema.nullable(),
  /** Each probe's state and reason (empty while down or not polled yet). */
  probes: z.array(ProbeStatusSchema),
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
  /**
   * This kamdash process (lib/poller/leases.ts): id = hostname-pid-random. polls "all": embedded database, one
   * process polls every node; "leased": one of several replicas on PostgreSQL, polling `leasedNodes` (null when the
   * database did not answer).
   */
  replica: z.object({
    id: z.string(),
    polls: z.enum(["all", "leased"]),
    leasedNodes: z.array(z.string()).nullable(),
  }),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** SSE: `event: snapshot` carries an OverviewResponse JSON (FleetSnapshot + ageMs per node). */
export const SSE_SNAPSHOT_EVENT = "snapshot";
export const SSE_RETRY_MS = 2000;
export const SSE_PING_MS = 15_000;
/** How often an open stream re-checks its credentials. */
export const SSE_REAUTHORIZE_MS = 30_000;
