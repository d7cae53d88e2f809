import type { FleetSnapshot } from "@/lib/poller/snapshot";
import type { MetricFamily, MetricSample } from "./families";
import { rtpengineFamilies } from "./rtpengine-families";

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
      node.branchFailure?.estimate
        ? [] // a node without bridge counters: kamdash_branch_failure_ratio_estimate
        : (node.branchFailure?.windows ?? []).flatMap((w) =>
            w.directions.flatMap((d) =>
              d.rate === null
                ? []
                : [{ labels: { node: node.name, direction: d.direction, window: w.window }, value: d.rate }],
            ),
          ),
    ),
  },
  {
    name: "kamdash_branch_failure_ratio_estimate",
    help: "ESTIMATE for a node without bridge counters: 5xx ÷ final replies received to INVITE over a sliding window (stats core.rcv_replies_<N>xx_invite deltas; misses branches with no reply; judged windows only, >= 20 replies).",
    type: "gauge",
    labelNames: ["node", "window"],
    samples: perNode((node) =>
      node.branchFailure?.estimate
        ? node.branchFailure.windows.flatMap((w) =>
            w.total.rate === null
              ? []
              : [{ labels: { node: node.name, window: w.window }, value: w.total.rate }],
          )
        : [],
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
    name: "kamdash_canary_last_run_success",
    help: "1 when the node's last synthetic canary run (register, call, SDP checks, BYE) ended ok, else 0; no series before a first run or with the canary off.",
    type: "gauge",
    labelNames: ["node"],
    samples: perNode((node) =>
      node.canary ? [{ labels: { node: node.name }, value: node.canary.last.outcome === "ok" ? 1 : 0 }] : [],
    ),
  },
  {
    name: "kamdash_canary_consecutive_failures",
    help: "Synthetic canary runs in a row that did not end ok (0 after an ok run).",
    type: "gauge",
    labelNames: ["node"],
    samples: perNode((node) =>
      node.canary ? [{ labels: { node: node.name }, value: node.canary.consecutiveFailures }] : [],
    ),
  },
  {
    name: "kamdash_canary_seconds",
    help: "Phases of the node's last synthetic canary run: register (REGISTER to 2xx), setup (INVITE to 200 OK), bye (BYE to 2xx); a phase not reached gives no series.",
    type: "gauge",
    labelNames: ["node", "phase"],
    samples: perNode((node) => {
      const last = node.canary?.last;
      if (!last) return [];
      return (
        [
          ["register", last.registerMs],
          ["setup", last.setupMs],
          ["bye", last.byeMs],
        ] as const
      ).flatMap(([phase, ms]) =>
        ms === null ? [] : [{ labels: { node: node.name, phase }, value: ms / 1000 }],
      );
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
  ...rtpengineFamilies, // per media server: sessions, rates, MOS/jitter/loss, ports (rtpengine-families.ts)
];
