import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { fleetFigure } from "@/components/live/fleet-view";
import { FleetTotals } from "@/components/overview/fleet-totals";
import { NodeTable } from "@/components/overview/node-table";
import { NodeStrip } from "@/components/wall/node-strip";
import { WallTile } from "@/components/wall/wall-tile";
import type { KamailioInfo, ProbeStatus, Reading } from "@/lib/poller/readings";
import {
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  byKey,
  type NodeMeasurement,
  type NodeReadings,
  type NodeSnapshot,
  nodeNumberKeys,
  type OverviewNode,
  withAges,
} from "@/lib/poller/snapshot";
import { sampleMeasurement } from "../support/snapshots";

// What the overview and the wall show for numbers that are old or missing on an up node: the last good value
// greyed with its age and reason, or "—" with the state and reason, never 0; reasons from Kamailio stay text.

const intervalMs = 2000;
const polledAt = new Date("2025-01-01T10:00:00.000Z");
const ago = (ms: number) => new Date(polledAt.getTime() - ms).toISOString();
const hostile = "<img src=x onerror=alert(1)>";
const ulDump = "ul.dump: reply larger than 1 MiB (truncated)";

function readings(overrides: Partial<NodeReadings> = {}): NodeReadings {
  const fresh = (): Reading => ({
    state: "ok",
    reason: null,
    measuredAt: polledAt.toISOString(),
    source: null,
  });
  return { ...byKey(nodeNumberKeys, fresh), ...overrides };
}

function probe(name: string, state: ProbeStatus["state"], reason: string | null, measuredMsAgo?: number) {
  return {
    probe: name,
    state,
    reason,
    since: ago(60_000),
    failures: state === "ok" ? 0 : 4,
    measuredAt: measuredMsAgo === undefined ? null : ago(measuredMsAgo),
    nextAttemptAt: null,
  } satisfies ProbeStatus;
}

function upNode(
  name: string,
  overrides: Partial<NodeMeasurement> = {},
  kamailio: KamailioInfo | null = null,
): NodeSnapshot {
  return buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt, durationMs: 12 },
    sampleMeasurement(overrides),
    kamailio,
  );
}

const overview = (...nodes: NodeSnapshot[]) =>
  withAges(buildFleetSnapshot(nodes, intervalMs, polledAt), polledAt);
const table = (nodes: OverviewNode[]) =>
  renderToStaticMarkup(createElement(NodeTable, { nodes, elapsedMs: 0 }));
const strip = (nodes: OverviewNode[]) =>
  renderToStaticMarkup(createElement(NodeStrip, { nodes, elapsedMs: 0 }));

/** The node-<key> span of a rendered table row: its attributes and its text. */
function cell(html: string, key: string) {
  const match = html.match(
    new RegExp(`data-testid="node-${key}" data-value="([^"]*)" data-state="([^"]*)">([^<]*)<`),
  );
  if (!match) throw new Error(`no node-${key} span`);
  return { value: match[1], state: match[2], text: match[3] };
}

/** The opening tag of the element around node-<key> (carries its class and title; cells hold two numbers). */
function cellTag(html: string, key: string): string {
  const own = html.lastIndexOf("<", html.indexOf(`data-testid="node-${key}"`));
  const start = html.lastIndexOf("<span", own - 1);
  return html.slice(start, html.indexOf(">", start) + 1);
}

describe("overview node table: readings", () => {
  const stale: Reading = { state: "stale", reason: ulDump, measuredAt: ago(40_000), source: "ul.dump" };
  const failing: Reading = {
    state: "failing",
    reason: "dlg.stats_active: timeout",
    measuredAt: null,
    source: null,
  };
  const unavailable: Reading = {
    state: "unavailable",
    reason: "unavailable (usrloc keeps contacts in the database)",
    measuredAt: null,
    source: null,
  };
  const starting: Reading = {
    state: "starting",
    reason: "Initializing - try later",
    measuredAt: null,
    source: null,
  };
  const node = upNode("edge-1", {
    registrations: 7,
    aors: null,
    dialogsActive: null,
    rtpengineUp: null,
    readings: readings({
      registrations: stale,
      aors: unavailable,
      dialogsActive: failing,
      rtpengineUp: starting,
    }),
  });
  const html = table(overview(node).nodes);

  it("shows a stale reading's last good value greyed, with its age and reason", () => {
    expect(cell(html, "registrations")).toEqual({ value: "7", state: "stale", text: "7" });
    const td = cellTag(html, "registrations");
    expect(td).toContain("italic");
    expect(td).toContain(`title="last good value, 40 s old: ${ulDump}"`);
    expect(html).toContain("(40 s old)</span>");
  });

  it("shows — with the state and reason for failing, unavailable and starting readings, never 0", () => {
    expect(cell(html, "dialogsActive")).toEqual({ value: "", state: "failing", text: "—" });
    expect(cellTag(html, "dialogsActive")).toContain('title="no value: failing: dlg.stats_active: timeout"');
    expect(cell(html, "aors")).toEqual({ value: "", state: "unavailable", text: "—" });
    expect(cellTag(html, "aors")).toContain("usrloc keeps contacts in the database");
    expect(cell(html, "rtpengineUp")).toEqual({ value: "", state: "starting", text: "—" });
    for (const state of ["failing", "unavailable", "starting"]) {
      expect(html).toMatch(new RegExp(`—</span><span class="[^"]*">${state}</span>`));
    }
    expect(cell(html, "ws")).toEqual({ value: "3", state: "ok", text: "3" });
  });

  it("keeps an up node with failing probes up and lists each probe with its state and reason", () => {
    const probes = [
      probe("core", "ok", null),
      probe("rtpengine-ng", "failing", "no NG pong from udp:127.0.0.1:22222 within 1 s"),
      probe("contacts", "stale", ulDump, 40_000),
      probe("registrations", "unavailable", "ul.dump: Method Not Found"),
    ];
    const out = table(overview(upNode("edge-2", { probes })).nodes);
    expect(out).toMatch(/data-testid="node-status"><span[^>]*>up<\/span>/);
    expect(out).toContain(
      'data-probe="rtpengine-ng" data-state="failing">rtpengine-ng failing: no NG pong from udp:127.0.0.1:22222',
    );
    expect(out).toContain(`data-probe="contacts" data-state="stale">contacts stale 40 s: ${ulDump}`);
    expect(out).toMatch(/data-testid="node-unavailable"><div[^>]*data-probe="registrations"/);
    expect(out).not.toContain('data-probe="core"');
  });

  it("lists values Kamailio sent that could not be true", () => {
    const rejected = [
      {
        field: "dialog.early_dialogs",
        value: "9223372036854776000",
        rule: "above the plausibility bound 1000000",
      },
    ];
    const out = table(overview(upNode("edge-3", { rejected })).nodes);
    expect(out).toContain(
      "rejected: dialog.early_dialogs = 9223372036854776000 (above the plausibility bound 1000000)",
    );
  });

  it("shows Kamailio's version and uptime, and a restart only while it is recent", () => {
    const info = (restartedMsAgo: number | null): KamailioInfo => ({
      version: "5.6.3",
      versionText: "kamailio 5.6.3 (x86_64/linux)",
      uptimeS: 3 * 3600 + 5 * 60,
      restartedAt: restartedMsAgo === null ? null : ago(restartedMsAgo),
    });
    const out = table(overview(upNode("edge-4", {}, info(2 * 60_000))).nodes);
    expect(out).toContain("5.6.3 · up 3 h 5 min");
    expect(out).toContain("restarted 2 min ago");
    expect(out).toContain('title="kamailio 5.6.3 (x86_64/linux)"');
    expect(table(overview(upNode("edge-4", {}, info(11 * 60_000))).nodes)).not.toContain("restarted");
  });

  it("renders hostile reasons, rejected values and version text as text", () => {
    const bad: Reading = { state: "failing", reason: hostile, measuredAt: null, source: null };
    const out = table(
      overview(
        upNode(
          "edge-5",
          {
            ws: null,
            readings: readings({ ws: bad }),
            probes: [probe("connections", "failing", hostile)],
            rejected: [{ field: hostile, value: hostile, rule: hostile }],
          },
          { version: hostile, versionText: hostile, uptimeS: 1, restartedAt: null },
        ),
      ).nodes,
    );
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(out).toContain("connections failing: &lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("fleet totals", () => {
  it("shows — for a number no up node could give, and says which numbers are incomplete", () => {
    const totals = {
      ...overview(upNode("a")).totals,
      registrations: null,
      dialogsEarly: null,
      incomplete: ["registrations", "dialogsEarly"],
    };
    const html = renderToStaticMarkup(createElement(FleetTotals, { totals }));
    expect(html).toContain('data-testid="total-registrations" data-value="">—</span>');
    expect(html).toContain('data-testid="total-dialogsEarly" data-value="">—</span>');
    expect(html).toContain('data-testid="total-ws" data-value="3">3</span>');
    expect(html).toContain("excludes registrations on nodes where it is not available");
    expect(html).toContain("excludes early dialogs on nodes where it is not available");
    expect(html).not.toContain("excludes WS");
  });
});

describe("wall", () => {
  it("shows an up node with failing probes as up, with a short probe problem line and dim or missing numbers", () => {
    const stale: Reading = { state: "stale", reason: ulDump, measuredAt: ago(40_000), source: null };
    const missing: Reading = {
      state: "unavailable",
      reason: "usrloc DB mode",
      measuredAt: null,
      source: null,
    };
    const node = upNode("edge-6", {
      wss: 5,
      registrations: null,
      readings: readings({ wss: stale, registrations: missing }),
      probes: [
        probe("rtpengine-ng", "failing", "no NG pong"),
        probe("registrations", "unavailable", hostile),
        probe("dialog-list", "starting", "Initializing - try later"),
      ],
    });
    const html = strip(overview(node, upNode("edge-7")).nodes);
    expect(html).toMatch(/data-node="edge-6" data-tone="ok" data-probe-problems="3"/);
    expect(html).toMatch(/data-node="edge-7" data-tone="ok" data-probe-problems="0"/);
    expect(html.indexOf('data-node="edge-6"')).toBeLessThan(html.indexOf('data-node="edge-7"'));
    expect(html).toContain(">RTPEngine NG: failing · Reg: unavailable · +1</div>");
    expect(html).toMatch(/<dd class="italic opacity-60" data-state="stale"[^>]*>5<\/dd>/);
    expect(html).toMatch(/data-state="unavailable"[^>]*>—<\/dd>/);
    expect(html).not.toContain("<img");
  });

  it("gives a tile with a stale or missing part a partial tone and a note", () => {
    const stale: Reading = { state: "stale", reason: ulDump, measuredAt: ago(40_000), source: null };
    const fleet = overview(upNode("a"), upNode("b", { readings: readings({ registrations: stale }) }));
    const html = renderToStaticMarkup(
      createElement(WallTile, {
        id: "registrations",
        label: "Registrations",
        figure: fleetFigure(fleet, "registrations", 0),
        nodesTotal: 2,
      }),
    );
    expect(html).toContain('data-tone="partial"');
    expect(html).toContain('data-value="14"');
    expect(html).toContain(`b: stale 40 s — ${ulDump}`);
    expect(html).toContain("incl. stale from 40 s ago");
  });
});
