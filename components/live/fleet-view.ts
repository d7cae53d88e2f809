import type { ProbeStatus, Reading, ReadingState } from "@/lib/poller/readings";
import type { NodeNumbers, OverviewNode, OverviewResponse } from "@/lib/poller/snapshot";

// Pure view logic shared by the overview page and the wall: ages, staleness, tile tones, number formatting.
// Ages come from the server's `ageMs` plus the time elapsed in the browser since the snapshot arrived, so a
// browser whose clock differs from the server's still shows correct ages.

/** Data older than this many poll intervals is shown greyed out as stale. */
export const STALE_AFTER_INTERVALS = 3;

/** A fleet snapshot together with the browser time it arrived (null until the page is hydrated). */
export type ReceivedFleet = { fleet: OverviewResponse; receivedAt: number | null };

/**
 * ok: every part fresh; partial: nodes are up but part of the number is a stale last good value or missing;
 * stale: our knowledge is old (poll older than 3 intervals); down: a node is down; empty: no nodes.
 */
export type Tone = "ok" | "partial" | "stale" | "down" | "empty";

/** ms since the browser received the snapshot (0 during server rendering). */
export function elapsedSince(receivedAt: number | null, now: number | null): number {
  if (receivedAt === null || now === null) return 0;
  return Math.max(0, now - receivedAt);
}

/** Age of the node's last poll (how fresh our knowledge of it is). */
export function pollAgeMs(node: OverviewNode, elapsedMs: number): number {
  return node.ageMs + elapsedMs;
}

/** Age of the numbers shown for the node: the last poll when up, the last successful poll when down. */
export function valuesAgeMs(node: OverviewNode, elapsedMs: number): number | null {
  if (node.up) return pollAgeMs(node, elapsedMs);
  if (node.lastUpAt === null) return null;
  // both timestamps come from the server's clock, so their difference is skew-free
  const sinceLastUp = Math.max(0, Date.parse(node.polledAt) - Date.parse(node.lastUpAt));
  return pollAgeMs(node, elapsedMs) + sinceLastUp;
}

export function isStale(ageMs: number, intervalMs: number): boolean {
  return ageMs > STALE_AFTER_INTERVALS * intervalMs;
}

/** A node is up or down as a whole (failing probes leave it up) or grey when our knowledge of it is old. */
export type NodeTone = "ok" | "stale" | "down";

/** Grey when our knowledge of the node is stale, else red when it is down. */
export function nodeTone(node: OverviewNode, elapsedMs: number): NodeTone {
  if (isStale(pollAgeMs(node, elapsedMs), node.intervalMs)) return "stale";
  return node.up ? "ok" : "down";
}

/** The value to show for a node: live when up, the last value seen while up when down (null if never up). */
export function shownNumber(node: OverviewNode, key: keyof NodeNumbers): number | null {
  if (node.up) return node[key];
  return node.lastUp?.[key] ?? null;
}

/**
 * The reading behind a number of an up node; null for a down node. A snapshot written before readings existed
 * gets one from the number itself (ok when present, unavailable when null).
 */
export function readingOf(node: OverviewNode, key: keyof NodeNumbers): Reading | null {
  if (!node.up) return null;
  const reading = node.readings?.[key];
  if (reading) return reading;
  return node[key] === null
    ? { state: "unavailable", reason: null, measuredAt: null, source: null }
    : { state: "ok", reason: null, measuredAt: node.polledAt, source: null };
}

/** Age of a server time seen in the node's snapshot: poll age plus how long before the poll it was (skew-free). */
function ageAtPoll(node: OverviewNode, iso: string | null, elapsedMs: number): number | null {
  if (iso === null) return null;
  const before = Date.parse(node.polledAt) - Date.parse(iso);
  if (Number.isNaN(before)) return null;
  return pollAgeMs(node, elapsedMs) + Math.max(0, before);
}

/** Age of the value shown for an up node's number (null when it has none, or the node is down). */
export function readingAgeMs(node: OverviewNode, key: keyof NodeNumbers, elapsedMs: number): number | null {
  return ageAtPoll(node, readingOf(node, key)?.measuredAt ?? null, elapsedMs);
}

/** Age of a probe's last good reply (null when it never answered). */
export function probeAgeMs(node: OverviewNode, probe: ProbeStatus, elapsedMs: number): number | null {
  return ageAtPoll(node, probe.measuredAt, elapsedMs);
}

/** Age of a server time in the node's snapshot, e.g. Kamailio's restartedAt. */
export function timeAgeMs(node: OverviewNode, iso: string | null, elapsedMs: number): number | null {
  return ageAtPoll(node, iso, elapsedMs);
}

/**
 * The probes of an up node that are not ok, in the snapshot's order. A snapshot written before probes had states
 * gives its `unavailable` list instead.
 */
export function problemProbes(node: OverviewNode): ProbeStatus[] {
  if (!node.up) return [];
  if (node.probes.length > 0) return node.probes.filter((p) => p.state !== "ok");
  return node.unavailable.map(({ probe, reason }) => ({
    probe,
    state: "unavailable",
    reason,
    since: null,
    failures: 0,
    measuredAt: null,
    nextAttemptAt: null,
  }));
}

/** An up node's part of a fleet figure that is not a fresh measurement. */
export type FigurePart = { node: string; state: ReadingState; reason: string | null; ageMs: number | null };

export type FleetFigure = {
  /** Sum over nodes of the shown numbers (live for up nodes, last-known for down nodes). */
  value: number | null;
  nodesDown: number;
  /** Down nodes whose last-known values are included in `value`. */
  lastKnownIncluded: number;
  /** Up nodes whose value is a stale last good value (included in `value`), with its age and why. */
  staleIncluded: FigurePart[];
  /** Up nodes with no value for the number (not in `value`), and why. */
  missing: FigurePart[];
  /** Oldest poll age among the nodes (null with no nodes). */
  pollAgeMs: number | null;
  /** Oldest age of the values summed (null with no values). */
  valuesAgeMs: number | null;
  tone: Tone;
};

/**
 * Sums one metric across the fleet for a wall tile, keeping down nodes' last values instead of dropping them, and
 * saying which up nodes gave a stale value or none.
 */
export function fleetFigure(fleet: OverviewResponse, key: keyof NodeNumbers, elapsedMs: number): FleetFigure {
  const { nodes } = fleet;
  const staleIncluded: FigurePart[] = [];
  const missing: FigurePart[] = [];
  if (nodes.length === 0) {
    return {
      value: null,
      nodesDown: 0,
      lastKnownIncluded: 0,
      staleIncluded,
      missing,
      pollAgeMs: null,
      valuesAgeMs: null,
      tone: "empty",
    };
  }
  let value: number | null = null;
  let nodesDown = 0;
  let lastKnownIncluded = 0;
  let oldestPoll = 0;
  let oldestValues: number | null = null;
  let stale = false;
  for (const node of nodes) {
    const shown = shownNumber(node, key);
    const reading = readingOf(node, key);
    if (!node.up) nodesDown += 1;
    if (shown !== null) {
      value = (value ?? 0) + shown;
      if (!node.up) lastKnownIncluded += 1;
      const age = node.up
        ? (readingAgeMs(node, key, elapsedMs) ?? pollAgeMs(node, elapsedMs))
        : valuesAgeMs(node, elapsedMs);
      if (age !== null) oldestValues = Math.max(oldestValues ?? 0, age);
      if (reading && reading.state !== "ok") {
        staleIncluded.push({ node: node.name, state: reading.state, reason: reading.reason, ageMs: age });
      }
    } else if (reading) {
      missing.push({ node: node.name, state: reading.state, reason: reading.reason, ageMs: null });
    }
    const pollAge = pollAgeMs(node, elapsedMs);
    oldestPoll = Math.max(oldestPoll, pollAge);
    if (isStale(pollAge, node.intervalMs)) stale = true;
  }
  const partial = staleIncluded.length > 0 || missing.length > 0;
  const tone: Tone = stale ? "stale" : nodesDown > 0 ? "down" : partial ? "partial" : "ok";
  return {
    value,
    nodesDown,
    lastKnownIncluded,
    staleIncluded,
    missing,
    pollAgeMs: oldestPoll,
    valuesAgeMs: oldestValues,
    tone,
  };
}

/** "0.8 s", "12 s", "3 min", "2 h 5 min", "3 d". */
export function formatAge(ms: number | null): string {
  if (ms === null) return "never";
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(value: number | null): string {
  return value === null ? "—" : integer.format(value);
}

/** Identifies the poll cycle a snapshot shows (each node's name and polledAt); pages expose it as data-cycle. */
export function cycleKey(fleet: { nodes: readonly { name: string; polledAt: string }[] }): string {
  return JSON.stringify(fleet.nodes.map((n) => [n.name, n.polledAt]));
}
