import type { FleetSnapshot } from "@/lib/poller/snapshot";
import type { MetricFamily, MetricSample } from "./families";

// The seed's four health numbers and the firing alerts, as gauges read from the same fleet snapshot. Only what
// kamdash could judge is exported: a window with too few branches, a node without a handshake target, unknown
// sessions or sockets give no series (never a 0).

const upNodes = (fleet: FleetSnapshot) => fleet.nodes.filter((n) => n.up);

const perNode =
  (pick: (node: FleetSnapshot["nodes"][number]) => MetricSample[]) =>
  ({ fleet }: { fleet: FleetSnapshot }) =>
    upNodes(fleet).flatMap(pick);

export const healthFamilies: readonly MetricFamily[] = [
  {
    name: "kamdash_branch_failure_ratio",
    help: "Failed ÷ relayed INVITE branches per bridge direction over a sliding window (cnt.grp_get_all bridge deltas; judged windows only, >= 20 branches).",
    type: "gauge",
    labelNames: ["node", "direction", "window"],
    samples: perNode((node) =>
      (node.branchFailure?.windows ?? []).flatMap((w) =>
        w.directions.flatMap((d) =>
          d.rate === null
            ? []
            : [{ labels: { node: node.name, direction: d.direction, window: w.window }, value: d.rate }],
        ),
      ),
    ),
  },
  {
    name: "kamdash_handshake_latency_seconds",
    help: "WebSocket handshake (TCP connect to upgrade) of kamdash's probe, per window: p50, p95 and max of the successful attempts.",
    type: "gauge",
    labelNames: ["node", "window", "stat"],
    samples: perNode((node) =>
      (node.handshake?.windows ?? []).flatMap((w) =>
        (
          [
            ["p50", w.p50Ms],
            ["p95", w.p95Ms],
            ["max", w.maxMs],
          ] as const
        ).flatMap(([stat, ms]) =>
          ms === null ? [] : [{ labels: { node: node.name, window: w.window, stat }, value: ms / 1000 }],
        ),
      ),
    ),
  },
  {
    name: "kamdash_handshake_attempts",
    help: "Handshake attempts of kamdash's probe per window and outcome (ok, refused, tls_error, http_error, timeout, sip_error).",
    type: "gauge",
    labelNames: ["node", "window", "outcome"],
    samples: perNode((node) =>
      (node.handshake?.windows ?? []).flatMap((w) => [
        { labels: { node: node.name, window: w.window, outcome: "ok" }, value: w.ok },
        ...Object.entries(w.failures).map(([outcome, n]) => ({
          labels: { node: node.name, window: w.window, outcome },
          value: n,
        })),
      ]),
    ),
  },
  {
    name: "kamdash_rtpengine_sessions",
    help: "Own RTPEngine sessions summed over the media servers the node lists (NG statistics sessionsown).",
    type: "gauge",
    labelNames: ["node"],
    samples: perNode((node) =>
      node.sessionsVsCalls ? [{ labels: { node: node.name }, value: node.sessionsVsCalls.sessions }] : [],
    ),
  },
  {
    name: "kamdash_sessions_calls_gap",
    help: "RTPEngine sessions minus answered dialogs on the node (0 = one session per call).",
    type: "gauge",
    labelNames: ["node"],
    samples: perNode((node) =>
      node.sessionsVsCalls ? [{ labels: { node: node.name }, value: node.sessionsVsCalls.gap }] : [],
    ),
  },
  {
    name: "kamdash_ws_connections_without_registration",
    help: "WS/WSS connections carrying no registered contact (core.tcp_list joined with the last ul.dump by connection id).",
    type: "gauge",
    labelNames: ["node"],
    samples: perNode((node) => {
      const s = node.socketsVsRegistrations;
      return s ? [{ labels: { node: node.name }, value: s.withoutRegistration }] : [];
    }),
  },
  {
    name: "kamdash_registrations_without_connection",
    help: "Registered contacts bound to a connection that core.tcp_list no longer lists (last ul.dump).",
    type: "gauge",
    labelNames: ["node"],
    samples: perNode((node) => {
      const s = node.socketsVsRegistrations;
      return s ? [{ labels: { node: node.name }, value: s.registrationsWithoutConnection }] : [];
    }),
  },
  {
    name: "kamdash_alert_firing",
    help: "1 for each alert firing now (lib/alerts), by rule, metric, node ('' for a fleet rule) and severity.",
    type: "gauge",
    labelNames: ["rule", "metric", "node", "severity"],
    samples: ({ fleet }) =>
      fleet.alerts.map((a) => ({
        labels: { rule: a.rule, metric: a.metric, node: a.node ?? "", severity: a.severity },
        value: 1,
      })),
  },
];
