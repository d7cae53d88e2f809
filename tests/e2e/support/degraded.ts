import type { OverviewResponse } from "@/lib/poller/snapshot";

// A real snapshot with the lab node's readings degraded, for the states a healthy lab never shows: the pages are
// served it (page.route) instead of GET /api/v1/overview's answer, and must show exactly what it says.

export const STALE_REASON = "stats.fetch usrloc: timeout (e2e)";
export const UNAVAILABLE_REASON = "unavailable (e2e: no ws)";

/**
 * The lab node as if its registrations probe were failing (its last good value 40 s old: stale, still summed)
 * and WSS could not be counted on it (null: left out of the total, which says so in `incomplete`).
 */
export function degradeLab(api: OverviewResponse): OverviewResponse {
  const lab = api.nodes.find((n) => n.name === "lab" && n.up);
  if (!lab?.readings) return api;
  const measuredAt = new Date(Date.parse(lab.polledAt) - 40_000).toISOString();
  const degraded = {
    ...lab,
    wss: null,
    readings: {
      ...lab.readings,
      registrations: {
        ...lab.readings.registrations,
        state: "stale" as const,
        reason: STALE_REASON,
        measuredAt,
      },
      wss: {
        ...lab.readings.wss,
        state: "unavailable" as const,
        reason: UNAVAILABLE_REASON,
        measuredAt: null,
      },
    },
    probes: lab.probes.map((p) =>
      p.probe === "registrations"
        ? { ...p, state: "stale" as const, reason: STALE_REASON, failures: 2, measuredAt }
        : p,
    ),
  };
  const nodes = api.nodes.map((n) => (n === lab ? degraded : n));
  const otherWss = nodes.filter((n) => n.up && n.wss !== null).map((n) => n.wss ?? 0);
  const totals = {
    ...api.totals,
    wss: otherWss.length === 0 ? null : otherWss.reduce((a, b) => a + b, 0),
    incomplete: [...new Set([...api.totals.incomplete, "wss"])],
  };
  return { ...api, nodes, totals };
}

/** A node name a browser must show as text. */
export const HOSTILE_NODE = `<b>edge-x</b><img src=x onerror="alert(1)">`;

/**
 * The lab node with health figures a healthy lab never shows (2 % of branches failing wss→udp, two sessions more
 * than calls, a quarter of its sockets without a registration and one registration without a socket), next to an
 * up node without any of them (named as unknown) that carries a hostile name.
 */
export function degradeHealth(api: OverviewResponse): OverviewResponse {
  const lab = api.nodes.find((n) => n.name === "lab" && n.up);
  if (!lab) return api;
  const rate = (relayed: number, failed: number) => ({
    relayed,
    failed,
    rate: failed / relayed,
    verdict: "judged" as const,
  });
  const sick = {
    ...lab,
    branchFailure: {
      source: "bridge counters" as const,
      windows: [
        {
          window: "5m" as const,
          coveredS: 300,
          total: rate(1000, 12),
          directions: [
            { direction: "udp_wss", ...rate(400, 0) },
            { direction: "wss_udp", ...rate(600, 12) },
          ],
          worst: { direction: "wss_udp", rate: 0.02 },
        },
      ],
    },
    sessionsVsCalls: { sessions: 7, calls: 5, gap: 2, engines: 1 },
    socketsVsRegistrations: {
      measuredAt: new Date(Date.parse(lab.polledAt) - 20_000).toISOString(),
      connections: 12,
      withRegistration: 9,
      withoutRegistration: 3,
      shareWithout: 0.25,
      registrationsWithoutConnection: 1,
    },
  };
  const blind = {
    ...lab,
    name: HOSTILE_NODE,
    branchFailure: null,
    sessionsVsCalls: null,
    socketsVsRegistrations: null,
  };
  const nodes = [...api.nodes.map((n) => (n === lab ? sick : n)), blind];
  return { ...api, nodes: nodes.sort((a, b) => a.name.localeCompare(b.name)) };
}
