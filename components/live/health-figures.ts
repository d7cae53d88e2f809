import { MIN_BRANCHES_TO_JUDGE } from "@/lib/poller/branch-windows";
import type { OverviewNode, OverviewResponse } from "@/lib/poller/snapshot";
import {
  BRANCH_FAILURE_BAD,
  BRANCH_FAILURE_WARNING,
  branchDetailLines,
  branchWindow,
  ESTIMATE_LABEL,
  formatRate,
  isBranchEstimate,
} from "./branch-rate";
import { formatAge, formatCount, isStale, pollAgeMs, timeAgeMs } from "./fleet-view";

// The seed's health rules summed over the fleet for the wall: the worst branch-failure rate, RTPEngine sessions
// against answered calls, WS/WSS connections without a registration. Only up nodes have these figures (a down
// node's are null, not its last ones): a down node is named as not counted, an up node without the figure is named
// as unknown, so a fleet number never passes for more than it is made of. All text here is plain: node names come
// from operators and are rendered as React text.

/** Share of WS/WSS connections without a registration from which the tile warns (as the overview's cell). */
export const SOCKETS_WITHOUT_REGISTRATION_WARNING = 0.1;
/** At most this many node names in a note; the rest are counted ("+3 more"). */
export const NAMES_LISTED = 3;

/** The seed's judgement of what the up nodes gave; unknown when they gave nothing to judge. */
export type HealthTone = "ok" | "warning" | "bad" | "unknown";

/**
 * The tile's colour: empty (no nodes), stale (our knowledge is old), down (a node is not counted), then the
 * health: bad, warning; partial when up nodes could not give their part; unknown when nothing could be judged.
 */
export type HealthTileTone = HealthTone | "partial" | "stale" | "down" | "empty";

export type HealthFigure = {
  health: HealthTone;
  tone: HealthTileTone;
  /** The big text: "0.42 %", "12 / 12", "3 of 120", "too few", "—". */
  display: string;
  /** The number behind it (rate, sessions, connections without a registration); null when there is none. */
  value: number | null;
  /** What the number is made of: "wss→udp on edge1", "gap +3 on edge2" (the node last: a long name is cut). */
  details: string[];
  /** Parts not counted, unknown or old, by node: "edge3 down: not counted", "sessions unknown on edge4". */
  notes: string[];
  nodesDown: number;
  /** Up nodes without the figure, and up nodes whose part is old (a ul.dump from a failing contacts probe). */
  missingParts: number;
  staleParts: number;
  /** Age of the oldest part (the poll, or the ul.dump joined), with the words before it. */
  ageMs: number | null;
  agePrefix: string;
  /** Some node's last poll is older than 3 poll intervals. */
  stale: boolean;
};

const plural = (n: number, word: string, many = `${word}s`) => `${formatCount(n)} ${n === 1 ? word : many}`;

/** "edge1, edge2, edge3 +2 more". */
export function nameList(names: readonly string[]): string {
  if (names.length <= NAMES_LISTED) return names.join(", ");
  return `${names.slice(0, NAMES_LISTED).join(", ")} +${names.length - NAMES_LISTED} more`;
}

export type Fleet = {
  nodes: OverviewNode[];
  up: OverviewNode[];
  down: OverviewNode[];
  staleNodes: OverviewNode[];
  pollAgeMs: number | null;
  elapsedMs: number;
};

export function fleetOf(fleet: OverviewResponse, elapsedMs: number): Fleet {
  const { nodes } = fleet;
  const ages = nodes.map((n) => pollAgeMs(n, elapsedMs));
  return {
    nodes,
    up: nodes.filter((n) => n.up),
    down: nodes.filter((n) => !n.up),
    staleNodes: nodes.filter((n) => isStale(pollAgeMs(n, elapsedMs), n.intervalMs)),
    pollAgeMs: ages.length === 0 ? null : Math.max(...ages),
    elapsedMs,
  };
}

/** Down nodes (their figures are unknown, not counted) and nodes whose last poll is stale. */
function fleetNotes(f: Fleet): string[] {
  const notes: string[] = [];
  const [onlyDown] = f.down;
  if (f.down.length === 1 && onlyDown) notes.push(`${onlyDown.name} down: not counted`);
  else if (f.down.length > 1) notes.push(`${f.down.length} of ${f.nodes.length} nodes down: not counted`);
  // every node stale is the browser losing the server: the age says so; a few stale nodes are named
  if (f.staleNodes.length > 0 && f.staleNodes.length < f.nodes.length) {
    const ages = f.staleNodes.map((n) => pollAgeMs(n, f.elapsedMs));
    const names = nameList(f.staleNodes.map((n) => n.name));
    notes.push(`${names}: stale, polled ${formatAge(Math.max(...ages))} ago`);
  }
  return notes;
}

export type Parts = Pick<HealthFigure, "health" | "display" | "value" | "details"> & {
  notes?: string[];
  missingParts?: number;
  staleParts?: number;
  ageMs?: number | null;
  agePrefix?: string;
};

export function figure(f: Fleet, parts: Parts): HealthFigure {
  const missingParts = parts.missingParts ?? 0;
  const staleParts = parts.staleParts ?? 0;
  const stale = f.staleNodes.length > 0;
  const partial = missingParts + staleParts > 0;
  const tone: HealthTileTone =
    f.nodes.length === 0
      ? "empty"
      : stale
        ? "stale"
        : f.down.length > 0
          ? "down"
          : parts.health === "bad" || parts.health === "warning"
            ? parts.health
            : partial
              ? "partial"
              : parts.health;
  return {
    health: parts.health,
    tone,
    display: parts.display,
    value: parts.value,
    details: parts.details,
    notes: [...fleetNotes(f), ...(parts.notes ?? [])],
    nodesDown: f.down.length,
    missingParts,
    staleParts,
    ageMs: parts.ageMs === undefined ? f.pollAgeMs : parts.ageMs,
    agePrefix: parts.agePrefix ?? "updated",
    stale,
  };
}

/** The rate's tone by the seed's rule: bad from 1 %, warning from 0.5 %. */
export function rateHealth(rate: number): HealthTone {
  return rate >= BRANCH_FAILURE_BAD ? "bad" : rate >= BRANCH_FAILURE_WARNING ? "warning" : "ok";
}

/**
 * The fleet's worst judged bridge direction over 5 min (the node, the direction, its rate), toned by the seed's
 * rule. "too few" with the count when no direction has enough branches to be judged; "—" when no up node has
 * branch counters. Never 0 % made of nothing.
 */
export function branchFailureFigure(fleet: OverviewResponse, elapsedMs: number): HealthFigure {
  const f = fleetOf(fleet, elapsedMs);
  const windows = f.up.map((node) => ({ node, window: branchWindow(node, "5m") }));
  const counted = windows.flatMap(({ node, window }) => (window ? [{ node, window }] : []));
  const without = windows.filter((w) => w.window === null).map((w) => w.node.name);
  if (counted.length === 0) {
    return figure(f, { health: "unknown", display: "—", value: null, details: ["no branch counters"] });
  }
  const notes = without.length > 0 ? [`no branch counters on ${nameList(without)}`] : [];
  const inconsistent = counted
    .filter(({ window }) => window.directions.some((d) => d.verdict === "inconsistent"))
    .map(({ node }) => node.name);
  if (inconsistent.length > 0) notes.push(`more failures than branches on ${nameList(inconsistent)}`);
  const parts = { notes, missingParts: without.length };
  const estimated = counted
    .filter(({ node }) => isBranchEstimate(node.branchFailure))
    .map((c) => c.node.name);
  if (estimated.length > 0) notes.push(`${ESTIMATE_LABEL} on ${nameList(estimated)}`); // no bridge counters

  let worst: { node: OverviewNode; direction: string; rate: number } | null = null;
  for (const { node, window } of counted) {
    if (window.worst && (worst === null || window.worst.rate > worst.rate)) worst = { node, ...window.worst };
  }
  if (worst === null) {
    const branches = counted.reduce((n, { window }) => n + window.total.relayed, 0);
    return figure(f, {
      ...parts,
      health: "unknown",
      display: "too few",
      value: null,
      details: [
        `too few branches: ${formatCount(branches)} in 5 min`,
        `${MIN_BRANCHES_TO_JUDGE} in a direction to judge`,
      ],
    });
  }
  const found = worst;
  const window = counted.find((c) => c.node === found.node)?.window;
  const direction = window?.directions.find((d) => d.direction === found.direction);
  const covered = window && window.coveredS < 300 ? ` (${formatAge(window.coveredS * 1000)} measured)` : "";
  return figure(f, {
    ...parts,
    health: rateHealth(found.rate),
    display: formatRate(found.rate),
    value: found.rate,
    details: branchDetailLines(found.node, found.direction, direction, covered),
  });
}

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : `−${formatCount(-n)}`);

/**
 * RTPEngine sessions against answered calls, summed over the up nodes that know both ("12 / 12"); a warning when
 * any node has a gap (named, with its gap), even when gaps cancel out in the sums. "—" when no node knows both.
 */
export function sessionsFigure(fleet: OverviewResponse, elapsedMs: number): HealthFigure {
  const f = fleetOf(fleet, elapsedMs);
  const known = f.up.flatMap((node) => (node.sessionsVsCalls ? [{ node, s: node.sessionsVsCalls }] : []));
  const unknown = f.up.filter((n) => n.sessionsVsCalls === null).map((n) => n.name);
  const notes = unknown.length > 0 ? [`sessions unknown on ${nameList(unknown)}`] : [];
  if (known.length === 0) {
    return figure(f, {
      health: "unknown",
      display: "—",
      value: null,
      details: ["RTPEngine sessions or answered calls unknown"],
      notes,
    });
  }
  const sessions = known.reduce((n, k) => n + k.s.sessions, 0);
  const calls = known.reduce((n, k) => n + k.s.calls, 0);
  const gaps = known.filter((k) => k.s.gap !== 0);
  let largest = gaps[0];
  for (const g of gaps) if (largest && Math.abs(g.s.gap) > Math.abs(largest.s.gap)) largest = g;
  const details = !largest
    ? ["RTPEngine sessions / answered calls, no gap"]
    : gaps.length === 1
      ? [
          `gap ${signed(largest.s.gap)} on ${largest.node.name}`,
          `${plural(largest.s.sessions, "session")} / ${plural(largest.s.calls, "call")}`,
        ]
      : [`gaps on ${gaps.length} nodes`, `largest ${signed(largest.s.gap)} on ${largest.node.name}`];
  return figure(f, {
    health: gaps.length > 0 ? "warning" : "ok",
    display: `${formatCount(sessions)} / ${formatCount(calls)}`,
    value: sessions,
    details,
    notes,
    missingParts: unknown.length,
  });
}

/** "2.5 %", "25 %", "0 %". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`;
}

/**
 * WS/WSS connections without a registration, of all ("3 of 120"), from each up node's last ul.dump joined with
 * its connections; a warning from 10 % or with any registration whose socket is gone. Its age is the oldest
 * ul.dump joined (they come on the heavy-list cadence); a node whose contacts probe is failing gives an old join.
 */
export function socketsFigure(fleet: OverviewResponse, elapsedMs: number): HealthFigure {
  const f = fleetOf(fleet, elapsedMs);
  const known = f.up.flatMap((node) =>
    node.socketsVsRegistrations ? [{ node, s: node.socketsVsRegistrations }] : [],
  );
  const unknown = f.up.filter((n) => n.socketsVsRegistrations === null).map((n) => n.name);
  const notes = unknown.length > 0 ? [`no ul.dump joined on ${nameList(unknown)}`] : [];
  if (known.length === 0) {
    return figure(f, {
      health: "unknown",
      display: "—",
      value: null,
      details: ["no ul.dump joined with the connections"],
      notes,
    });
  }
  const oldJoins = known
    .filter(({ node }) => node.probes.some((p) => p.probe === "contacts" && p.state === "stale"))
    .map(({ node }) => node.name);
  if (oldJoins.length > 0) notes.push(`ul.dump stale on ${nameList(oldJoins)}`);
  const connections = known.reduce((n, k) => n + k.s.connections, 0);
  const without = known.reduce((n, k) => n + k.s.withoutRegistration, 0);
  const orphans = known.reduce((n, k) => n + k.s.registrationsWithoutConnection, 0);
  const share = connections === 0 ? null : without / connections;
  const warn = (share ?? 0) >= SOCKETS_WITHOUT_REGISTRATION_WARNING || orphans > 0;
  const ages = known.map(
    ({ node, s }) => timeAgeMs(node, s.measuredAt, elapsedMs) ?? pollAgeMs(node, elapsedMs),
  );
  return figure(f, {
    health: warn ? "warning" : "ok",
    display: `${formatCount(without)} of ${formatCount(connections)}`,
    value: without,
    details: [
      share === null ? "no WS/WSS connections" : `${formatShare(share)} without a registration`,
      ...(orphans > 0 ? [`${plural(orphans, "registration")} without a socket`] : []),
    ],
    notes,
    missingParts: unknown.length,
    staleParts: oldJoins.length,
    ageMs: Math.max(...ages),
    agePrefix: "ul.dump joined",
  });
}
