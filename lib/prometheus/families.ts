import type { FleetSnapshot, NodeNumbers, NodeSnapshot } from "@/lib/poller/snapshot";

// What kamdash measures, as Prometheus metric families: one entry per family, read from the live fleet snapshot at
// scrape time. A node that is down, a number that is null and a number whose reading is not "ok" (stale, failing,
// unavailable, starting, rejected) give no series at all — never a 0. Stale values are left out on purpose: they
// repeat an old measurement, and Prometheus marks a series that stops coming as stale by itself (after 5 min).
// Every family is listed in README.md ("JSON API v1" → "Prometheus"); keep the two in step.

/** One scrape's input: the fleet snapshot taken once for the whole scrape, and the time it was taken. */
export type Scrape = { fleet: FleetSnapshot; now: Date };

/** One series of a family: its label values and its value (a finite number). */
export type MetricSample = { labels: Record<string, string>; value: number };

/** A metric family: name (snake_case, unit in the name), HELP text naming the source, and its series per scrape. */
export type MetricFamily = {
  name: string;
  help: string;
  type: "gauge" | "counter";
  labelNames: readonly string[];
  samples: (scrape: Scrape) => readonly MetricSample[] | Promise<readonly MetricSample[]>;
};

const upNodes = (fleet: FleetSnapshot) => fleet.nodes.filter((n) => n.up);

/** The node's value for `key` when its reading is "ok" (measured in or for this cycle), else undefined. */
function okValue(node: NodeSnapshot, key: keyof NodeNumbers): number | undefined {
  const value = node[key];
  if (!node.up || value === null || node.readings?.[key].state !== "ok") return undefined;
  return value;
}

/** One series per up node and label value, for the headline numbers whose reading is ok. */
function headline(
  label: string | null,
  keys: readonly (readonly [labelValue: string, key: keyof NodeNumbers])[],
): (scrape: Scrape) => MetricSample[] {
  return ({ fleet }) =>
    upNodes(fleet).flatMap((node) =>
      keys.flatMap(([labelValue, key]) => {
        const value = okValue(node, key);
        if (value === undefined) return [];
        return [{ labels: label ? { node: node.name, [label]: labelValue } : { node: node.name }, value }];
      }),
    );
}

/** One series per up node and bridge direction whose counter is not null (cnt.grp_get_all, this cycle only). */
function branchCounter(field: "relayed" | "failed"): (scrape: Scrape) => MetricSample[] {
  return ({ fleet }) =>
    upNodes(fleet).flatMap((node) =>
      (node.branches ?? []).flatMap((b) => {
        const value = b[field];
        return value === null ? [] : [{ labels: { node: node.name, direction: b.direction }, value }];
      }),
    );
}

/** kamdash's own families, in exposition order. Extra ones are added with registerCollector() (collectors.ts). */
export const kamdashFamilies: readonly MetricFamily[] = [
  {
    name: "kamdash_node_up",
    help: "1 when Kamailio answered kamdash's liveness call (core.uptime) in the node's last poll cycle, else 0.",
    type: "gauge",
    labelNames: ["node"],
    samples: ({ fleet }) => fleet.nodes.map((n) => ({ labels: { node: n.name }, value: n.up ? 1 : 0 })),
  },
  {
    name: "kamdash_node_poll_age_seconds",
    help: "Seconds since the node's last poll cycle ended (kamdash's clock; up or down).",
    type: "gauge",
    labelNames: ["node"],
    samples: ({ fleet, now }) =>
      fleet.nodes.map((n) => ({
        labels: { node: n.name },
        value: Math.max(0, now.getTime() - Date.parse(n.polledAt)) / 1000,
      })),
  },
  {
    name: "kamdash_node_poll_duration_seconds",
    help: "Duration of the node's last poll cycle in seconds: all its RPC calls and checks (kamdash's clock).",
    type: "gauge",
    labelNames: ["node"],
    samples: ({ fleet }) =>
      fleet.nodes.map((n) => ({ labels: { node: n.name }, value: n.durationMs / 1000 })),
  },
  {
    name: "kamdash_probe_state",
    help: "1 for each probe's current state (ok, stale, failing, unavailable, starting); one series per probe.",
    type: "gauge",
    labelNames: ["node", "probe", "state"],
    samples: ({ fleet }) =>
      upNodes(fleet).flatMap((n) =>
        n.probes.map((p) => ({ labels: { node: n.name, probe: p.probe, state: p.state }, value: 1 })),
      ),
  },
  {
    name: "kamdash_ws_connections",
    help: "WebSocket connections held by Kamailio, closing ones left out (core.tcp_list).",
    type: "gauge",
    labelNames: ["node", "transport"],
    samples: headline("transport", [
      ["ws", "ws"],
      ["wss", "wss"],
    ]),
  },
  {
    name: "kamdash_registrations",
    help: "Registered contacts (stats.fetch usrloc: <table>_contacts; ul.db_contacts when they read 0).",
    type: "gauge",
    labelNames: ["node"],
    samples: headline(null, [["", "registrations"]]),
  },
  {
    name: "kamdash_aors",
    help: "Registered addresses of record (stats.fetch usrloc: <table>_users; ul.db_contacts when they read 0).",
    type: "gauge",
    labelNames: ["node"],
    samples: headline(null, [["", "aors"]]),
  },
  {
    name: "kamdash_dialogs",
    help: "Dialogs: active = states 3-4, early = states 1-2 (dlg.stats_active, else counted from dlg.list).",
    type: "gauge",
    labelNames: ["node", "state"],
    samples: headline("state", [
      ["active", "dialogsActive"],
      ["early", "dialogsEarly"],
    ]),
  },
  {
    name: "kamdash_rtpengine_instances",
    help: "Media servers Kamailio lists (rtpengine.show all): total, and up = in use and answering NG ping.",
    type: "gauge",
    labelNames: ["node", "state"],
    samples: headline("state", [
      ["up", "rtpengineUp"],
      ["total", "rtpengineTotal"],
    ]),
  },
  {
    name: "kamdash_kamailio_uptime_seconds",
    help: "Kamailio's uptime in seconds (core.uptime: uptime).",
    type: "gauge",
    labelNames: ["node"],
    samples: ({ fleet }) =>
      upNodes(fleet).flatMap((n) => {
        const uptime = n.kamailio?.uptimeS;
        return uptime === null || uptime === undefined ? [] : [{ labels: { node: n.name }, value: uptime }];
      }),
  },
  {
    name: "kamdash_kamailio_info",
    help: "Always 1; the version label is Kamailio's version (core.version).",
    type: "gauge",
    labelNames: ["node", "version"],
    samples: ({ fleet }) =>
      upNodes(fleet).flatMap((n) => {
        const version = n.kamailio?.version;
        return version ? [{ labels: { node: n.name, version }, value: 1 }] : [];
      }),
  },
  {
    name: "kamdash_branches_relayed_total",
    help: "Initial-INVITE branches relayed per bridge direction (Kamailio counter <from>_<to>_relayed, cnt.grp_get_all bridge).",
    type: "counter",
    labelNames: ["node", "direction"],
    samples: branchCounter("relayed"),
  },
  {
    name: "kamdash_branches_failed_total",
    help: "Branches the network did not deliver per bridge direction (Kamailio counter <from>_<to>_failed, cnt.grp_get_all bridge).",
    type: "counter",
    labelNames: ["node", "direction"],
    samples: branchCounter("failed"),
  },
];
