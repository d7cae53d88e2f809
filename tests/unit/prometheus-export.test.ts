import { register as globalRegistry, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { ProbeStatus, Reading, ReadingState } from "@/lib/poller/readings";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  type NodeMeasurement,
  type NodeReadings,
} from "@/lib/poller/snapshot";
import { metricFamilies, registerCollector } from "@/lib/prometheus/collectors";
import { buildMetricsRegistry, renderMetrics } from "@/lib/prometheus/export";
import { kamdashFamilies, type Scrape } from "@/lib/prometheus/families";
import { healthFamilies } from "@/lib/prometheus/health-families";

// /metrics from hand-built snapshots: the exact sample lines present, and absent for a down node, a null number and
// a reading that is not "ok" (stale, failing, unavailable, starting, rejected). No Prometheus text parser ships in
// node_modules, so the lines are compared as text; the e2e test has a real Prometheus scrape and parse them.

const polledAt = new Date("2026-03-01T12:00:00.000Z");
const now = new Date("2026-03-01T12:00:01.250Z"); // 1.25 s after the poll
const identity = (name: string) => ({ name, rpcUrl: `http://${name}:5080/RPC`, intervalMs: 2000 });
const kamailio = {
  version: "5.6.3",
  versionText: "kamailio 5.6.3 (x86_64/linux)",
  uptimeS: 3600,
  restartedAt: null,
};

const reading = (state: ReadingState, source: string): Reading => ({
  state,
  reason: state === "ok" ? null : `${source}: ${state}`,
  measuredAt: state === "failing" || state === "unavailable" ? null : polledAt.toISOString(),
  source,
});

const probe = (name: string, state: ProbeStatus["state"]): ProbeStatus => ({
  probe: name,
  state,
  reason: state === "ok" ? null : `${name} is ${state}`,
  since: null,
  failures: state === "stale" || state === "failing" ? 2 : 0,
  measuredAt: polledAt.toISOString(),
  nextAttemptAt: null,
});

/** edge1: WS fresh, WSS stale (a value, left out), registrations failing (null), AORs unavailable, early dialogs
 * rejected, RTPEngine total "starting" with a value, one branch counter null. */
const edge1Readings: NodeReadings = {
  ws: reading("ok", "core.tcp_list"),
  wss: reading("stale", "core.tcp_list"),
  registrations: reading("failing", "stats.fetch usrloc"),
  aors: reading("unavailable", "stats.fetch usrloc"),
  dialogsActive: reading("ok", "dlg.stats_active"),
  dialogsEarly: reading("rejected", "dlg.stats_active"),
  rtpengineUp: reading("ok", "rtpengine.show"),
  rtpengineTotal: reading("starting", "rtpengine.show"),
};
const edge1: NodeMeasurement = {
  ws: 12,
  wss: 40,
  registrations: null,
  aors: null,
  dialogsActive: 3,
  dialogsEarly: null,
  rtpengineUp: 1,
  rtpengineTotal: 2,
  readings: edge1Readings,
  rtpengines: [],
  branches: [
    { direction: "wss_udp", relayed: 120, failed: null },
    { direction: "udp_ws", relayed: 0, failed: 0 },
  ],
  stats: {},
  probes: [
    probe("core", "ok"),
    probe("connections", "stale"),
    probe("registrations", "failing"),
    probe("dialogs", "ok"),
    probe("rtpengine", "starting"),
    probe("websockets", "unavailable"),
  ],
};

/** edge3: all fresh and ok, but Kamailio gave no version yet and the branches probe had nothing this cycle. */
const edge3: NodeMeasurement = {
  ws: 0,
  wss: 5,
  registrations: 5,
  aors: 4,
  dialogsActive: 0,
  dialogsEarly: 1,
  rtpengineUp: 0,
  rtpengineTotal: 0,
  rtpengines: [],
  branches: null,
  stats: {},
};

function scrape(): Scrape {
  const up1 = buildUpNodeSnapshot(identity("edge1"), { polledAt, durationMs: 37 }, edge1, kamailio);
  const previous = buildUpNodeSnapshot(identity("edge2"), { polledAt, durationMs: 5 }, edge3, kamailio);
  // down: its last values and Kamailio version are kept in the snapshot, and must not be exported
  const down = buildDownNodeSnapshot(
    identity("edge2"),
    { polledAt, durationMs: 1500 },
    "timeout",
    previous,
    kamailio,
  );
  const up3 = buildUpNodeSnapshot(identity("edge3"), { polledAt, durationMs: 8 }, edge3, {
    ...kamailio,
    version: null,
    uptimeS: null,
  });
  return { fleet: buildFleetSnapshot([up3, down, up1], 2000, now), now };
}

/** The sample lines of an exposition (neither comments nor blank lines). */
const sampleLines = (text: string) => text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));

describe("Prometheus export", () => {
  let unregister: (() => void) | undefined;
  afterEach(() => {
    unregister?.();
    unregister = undefined;
  });

  it("exports exactly the ok values of up nodes; down nodes, nulls and non-ok readings are absent, not 0", async () => {
    const { text, contentType } = await renderMetrics(scrape());
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(sampleLines(text)).toEqual([
      'kamdash_node_up{node="edge1"} 1',
      'kamdash_node_up{node="edge2"} 0',
      'kamdash_node_up{node="edge3"} 1',
      'kamdash_node_poll_age_seconds{node="edge1"} 1.25',
      'kamdash_node_poll_age_seconds{node="edge2"} 1.25',
      'kamdash_node_poll_age_seconds{node="edge3"} 1.25',
      'kamdash_node_poll_duration_seconds{node="edge1"} 0.037',
      'kamdash_node_poll_duration_seconds{node="edge2"} 1.5',
      'kamdash_node_poll_duration_seconds{node="edge3"} 0.008',
      'kamdash_probe_state{node="edge1",probe="core",state="ok"} 1',
      'kamdash_probe_state{node="edge1",probe="connections",state="stale"} 1',
      'kamdash_probe_state{node="edge1",probe="registrations",state="failing"} 1',
      'kamdash_probe_state{node="edge1",probe="dialogs",state="ok"} 1',
      'kamdash_probe_state{node="edge1",probe="rtpengine",state="starting"} 1',
      'kamdash_probe_state{node="edge1",probe="websockets",state="unavailable"} 1',
      'kamdash_ws_connections{node="edge1",transport="ws"} 12',
      'kamdash_ws_connections{node="edge3",transport="ws"} 0',
      'kamdash_ws_connections{node="edge3",transport="wss"} 5',
      'kamdash_registrations{node="edge3"} 5',
      'kamdash_aors{node="edge3"} 4',
      'kamdash_dialogs{node="edge1",state="active"} 3',
      'kamdash_dialogs{node="edge3",state="active"} 0',
      'kamdash_dialogs{node="edge3",state="early"} 1',
      'kamdash_rtpengine_instances{node="edge1",state="up"} 1',
      'kamdash_rtpengine_instances{node="edge3",state="up"} 0',
      'kamdash_rtpengine_instances{node="edge3",state="total"} 0',
      'kamdash_kamailio_uptime_seconds{node="edge1"} 3600',
      'kamdash_kamailio_info{node="edge1",version="5.6.3"} 1',
      'kamdash_branches_relayed_total{node="edge1",direction="wss_udp"} 120',
      'kamdash_branches_relayed_total{node="edge1",direction="udp_ws"} 0',
      'kamdash_branches_failed_total{node="edge1",direction="udp_ws"} 0',
    ]);
    // the stale WSS value (40) and the kept lastUp / version of the down node appear nowhere
    expect(text).not.toMatch(/ 40$/m);
    expect(text).not.toContain('node="edge2",');
  });

  it("names every family snake_case with HELP (naming the source) and TYPE, also when it has no series", async () => {
    const empty: Scrape = { fleet: buildFleetSnapshot([], 2000, now), now };
    const { text } = await renderMetrics(empty);
    expect(sampleLines(text)).toEqual([]);
    for (const family of kamdashFamilies) {
      expect(family.name).toMatch(/^kamdash_[a-z0-9_]+$/);
      expect(text).toContain(`# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`);
      if (family.type === "counter") expect(family.name).toMatch(/_total$/);
      else expect(family.name).not.toMatch(/_total$/);
    }
    const lines = text.split("\n");
    expect(lines).toContain(
      "# HELP kamdash_ws_connections WebSocket connections held by Kamailio, closing ones left out (core.tcp_list).",
    );
    expect(lines).toContain("# TYPE kamdash_branches_failed_total counter");
    expect(kamdashFamilies.map((f) => f.name)).toEqual([
      "kamdash_node_up",
      "kamdash_node_poll_age_seconds",
      "kamdash_node_poll_duration_seconds",
      "kamdash_probe_state",
      "kamdash_ws_connections",
      "kamdash_registrations",
      "kamdash_aors",
      "kamdash_dialogs",
      "kamdash_rtpengine_instances",
      "kamdash_kamailio_uptime_seconds",
      "kamdash_kamailio_info",
      "kamdash_branches_relayed_total",
      "kamdash_branches_failed_total",
    ]);
  });

  it("builds a fresh dedicated registry per scrape and never touches prom-client's global one", async () => {
    const a = buildMetricsRegistry(scrape());
    const b = buildMetricsRegistry(scrape());
    expect(a).toBeInstanceOf(Registry);
    expect(a).not.toBe(b);
    expect(a).not.toBe(globalRegistry);
    expect(globalRegistry.getSingleMetric("kamdash_node_up")).toBeUndefined();
    // collecting twice does not add up counters: each collect() starts from reset()
    await a.metrics();
    expect(sampleLines(await a.metrics())).toContain(
      'kamdash_branches_relayed_total{node="edge1",direction="wss_udp"} 120',
    );
  });

  it("takes extra families through registerCollector(), async ones included, and refuses a name twice", async () => {
    unregister = registerCollector({
      name: "kamdash_test_branch_failure_ratio",
      help: "Test family (computed from the snapshot's branch counters).",
      type: "gauge",
      labelNames: ["node", "window"],
      samples: async ({ fleet }) =>
        fleet.nodes.filter((n) => n.up).map((n) => ({ labels: { node: n.name, window: "5m" }, value: 0.25 })),
    });
    expect(metricFamilies().at(-1)?.name).toBe("kamdash_test_branch_failure_ratio");
    const lines = sampleLines((await renderMetrics(scrape())).text);
    expect(lines).toContain('kamdash_test_branch_failure_ratio{node="edge1",window="5m"} 0.25');
    expect(lines).not.toContain('kamdash_test_branch_failure_ratio{node="edge2",window="5m"} 0.25');
    expect(() =>
      registerCollector({
        name: "kamdash_node_up",
        help: "x",
        type: "gauge",
        labelNames: [],
        samples: () => [],
      }),
    ).toThrow(/already registered/);
    unregister();
    unregister = undefined;
    expect(metricFamilies()).toHaveLength(kamdashFamilies.length + healthFamilies.length);
    expect((await renderMetrics(scrape())).text).not.toContain("kamdash_test_branch_failure_ratio");
  });
});
