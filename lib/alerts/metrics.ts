import { z } from "zod";
import type { NodeSnapshot } from "@/lib/poller/snapshot";

// The health numbers an alert rule can watch, each read from one node's live snapshot (lib/poller/snapshot-schema).
// A number that is unknown in a snapshot reads null: a rule never fires and never resolves on null.

export const alertMetrics = [
  "node_down",
  "branch_failure_rate",
  "handshake_p95_ms",
  "rtpengine_not_up",
  "sessions_calls_gap",
  "sockets_without_registration_share",
  "canary_failed_runs",
] as const;
export const AlertMetricSchema = z.enum(alertMetrics);
export type AlertMetric = z.infer<typeof AlertMetricSchema>;

type MetricDefinition = {
  /** Unit of the value and of the rule's thresholds, as shown to people. */
  unit: "" | "ratio" | "ms" | "instances" | "sessions";
  /** Snapshot field(s) read; what the README's "Alerts" section lists. */
  source: string;
  /** One node's value, or null when unknown in this snapshot. */
  read: (node: NodeSnapshot) => number | null;
  /** The fleet's value from the nodes' values (unknown ones left out; null when none is known). */
  fleet: "max" | "sum";
};

/** The 5-minute window of a list of windows, if present. */
function fiveMinutes<T extends { window: string }>(windows: readonly T[] | undefined): T | undefined {
  return windows?.find((w) => w.window === "5m");
}

export const ALERT_METRICS: Record<AlertMetric, MetricDefinition> = {
  node_down: {
    unit: "",
    source: "up (core.uptime answered): 1 when the node is down, 0 when up",
    read: (node) => (node.up ? 0 : 1),
    fleet: "sum",
  },
  branch_failure_rate: {
    unit: "ratio",
    source: "branchFailure.windows[5m].worst.rate (judged directions only; 0..1)",
    read: (node) => fiveMinutes(node.branchFailure?.windows)?.worst?.rate ?? null,
    fleet: "max",
  },
  handshake_p95_ms: {
    unit: "ms",
    source: "handshake.windows[5m].p95Ms (WebSocket handshake, TCP connect to end of upgrade)",
    read: (node) => fiveMinutes(node.handshake?.windows)?.p95Ms ?? null,
    fleet: "max",
  },
  rtpengine_not_up: {
    unit: "instances",
    source: "rtpengineTotal − rtpengineUp (rtpengine.show), only when both readings are fresh (state ok)",
    read: (node) => {
      const fresh = node.readings?.rtpengineUp.state === "ok" && node.readings.rtpengineTotal.state === "ok";
      if (!node.up || !fresh || node.rtpengineUp === null || node.rtpengineTotal === null) return null;
      return Math.max(0, node.rtpengineTotal - node.rtpengineUp);
    },
    fleet: "sum",
  },
  sessions_calls_gap: {
    unit: "sessions",
    source: "|sessionsVsCalls.gap| (RTPEngine own sessions − answered dialogs)",
    read: (node) => (node.sessionsVsCalls ? Math.abs(node.sessionsVsCalls.gap) : null),
    fleet: "max",
  },
  sockets_without_registration_share: {
    unit: "ratio",
    source: "socketsVsRegistrations.shareWithout (WS/WSS connections without a registration; 0..1)",
    read: (node) => node.socketsVsRegistrations?.shareWithout ?? null,
    fleet: "max",
  },
  canary_failed_runs: {
    unit: "",
    source:
      "canary.consecutiveFailures (synthetic canary runs in a row not ok; unknown when the canary is off or its last run is older than 3 intervals)",
    read: (node) => {
      const canary = node.canary;
      if (!canary) return null;
      const ageMs = Date.parse(node.polledAt) - Date.parse(canary.last.at);
      return ageMs > 3 * canary.intervalMs ? null : canary.consecutiveFailures;
    },
    fleet: "max",
  },
};

/** A node's value of `metric` (null when unknown). */
export function readMetric(metric: AlertMetric, node: NodeSnapshot): number | null {
  return ALERT_METRICS[metric].read(node);
}

/** The fleet's value of `metric`: max or sum over the nodes whose value is known; null when none is. */
export function readFleetMetric(metric: AlertMetric, nodes: readonly NodeSnapshot[]): number | null {
  const values = nodes.map((n) => readMetric(metric, n)).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  return ALERT_METRICS[metric].fleet === "sum" ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
}

/** A value as people read it: ratios in %, milliseconds with "ms". */
export function formatMetricValue(metric: AlertMetric, value: number | null): string {
  if (value === null) return "unknown";
  const unit = ALERT_METRICS[metric].unit;
  if (unit === "ratio") return `${(value * 100).toFixed(2).replace(/\.?0+$/, "")} %`;
  if (unit === "ms") return `${Math.round(value)} ms`;
  return String(value);
}
