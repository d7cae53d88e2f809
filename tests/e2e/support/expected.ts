import { expect } from "vitest";
import type { NodeNumbers, OverviewNode, OverviewResponse } from "@/lib/poller/snapshot";

// What the pages must show for a given GET /api/v1/overview snapshot, worked out from the snapshot and the rules
// the UI states (not from the UI's own view code), so a test knows why a tile is partial or a note is there.

/** The overview's totals cards, by the figures each shows (see components/overview/fleet-totals.tsx). */
const totalCards: (keyof NodeNumbers)[][] = [
  ["ws"],
  ["wss"],
  ["registrations"],
  ["dialogsActive", "dialogsEarly"],
  ["rtpengineUp", "rtpengineTotal"],
];

/**
 * The notes under the totals cards: "excludes N down node(s)" when a node is down, and one note for the numbers
 * some up node could not give (`totals.incomplete`). Only cards with notes, keyed as readOverviewPage keys them.
 */
export function expectedTotalNotes(api: OverviewResponse): Record<string, unknown[]> {
  const down = api.totals.nodesTotal - api.totals.nodesUp;
  const notes: Record<string, unknown[]> = {};
  for (const card of totalCards) {
    const cardNotes: unknown[] = [];
    if (down > 0) cardNotes.push(`excludes ${down} down node${down === 1 ? "" : "s"}`);
    if (card.some((key) => api.totals.incomplete.includes(key))) {
      cardNotes.push(expect.stringMatching(/^excludes .+ on nodes where it is not available$/));
    }
    if (cardNotes.length > 0) notes[card.join("+")] = cardNotes;
  }
  return notes;
}

/** The probe lines of a node row: an up node's probes that are not ok, the unavailable ones last, grouped. */
export function expectedProbeLines(node: OverviewNode) {
  if (!node.up) return [];
  const problems = node.probes.filter((p) => p.state !== "ok");
  return [
    ...problems.filter((p) => p.state !== "unavailable"),
    ...problems.filter((p) => p.state === "unavailable"),
  ].map((p) => ({ probe: p.probe, state: p.state, grouped: p.state === "unavailable" }));
}

/** Seconds an age text ("0.8 s", "12 s", "3 min", "2 h 5 min", "3 d") stands for: its lower bound and its step. */
export function parseAgeText(text: string): { lowS: number; stepS: number } {
  const patterns: [RegExp, (m: RegExpMatchArray) => { lowS: number; stepS: number }][] = [
    [/^(\d+\.\d) s$/, (m) => ({ lowS: Number(m[1]), stepS: 0.1 })],
    [/^(\d+) s$/, (m) => ({ lowS: Number(m[1]), stepS: 1 })],
    [/^(\d+) min$/, (m) => ({ lowS: Number(m[1]) * 60, stepS: 60 })],
    [/^(\d+) h(?: (\d+) min)?$/, (m) => ({ lowS: Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60, stepS: 60 })],
    [/^(\d+) d$/, (m) => ({ lowS: Number(m[1]) * 86_400, stepS: 86_400 })],
  ];
  for (const [pattern, parse] of patterns) {
    const match = text.match(pattern);
    if (match) return parse(match);
  }
  throw new Error(`not an age: ${JSON.stringify(text)}`);
}

/** Wall tile ids and the number each sums. */
export const wallTileKeys = {
  ws: "ws",
  wss: "wss",
  registrations: "registrations",
  dialogs: "dialogsActive",
  rtpengine: "rtpengineUp",
} as const satisfies Record<string, keyof NodeNumbers>;
export type WallTileId = keyof typeof wallTileKeys;

export type ExpectedTile = { tone: string; staleParts: number; missingParts: number };

/**
 * A wall tile for a fresh snapshot: down when a node is down; else partial when an up node's part is a stale last
 * good value (reading not ok) or missing (null), saying how many of each; else ok. The RTPEngine tile is down too
 * when fewer instances are up than Kamailio lists.
 */
export function expectedTile(api: OverviewResponse, id: WallTileId): ExpectedTile {
  const key = wallTileKeys[id];
  if (api.nodes.length === 0) return { tone: "empty", staleParts: 0, missingParts: 0 };
  let staleParts = 0;
  let missingParts = 0;
  for (const node of api.nodes.filter((n) => n.up)) {
    const reading = node.readings?.[key];
    if (!reading) throw new Error(`up node ${node.name} has no reading for ${key}`);
    if (node[key] === null) missingParts += 1;
    else if (reading.state !== "ok") staleParts += 1;
  }
  const nodesDown = api.nodes.some((n) => !n.up);
  let tone = nodesDown ? "down" : staleParts + missingParts > 0 ? "partial" : "ok";
  if (id === "rtpengine" && !nodesDown) {
    // (only when both counts are known: a missing count is not an instance down)
    const sum = (k: keyof NodeNumbers) => {
      const values = api.nodes.map((n) => n[k]).filter((v): v is number => v !== null);
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
    };
    const [up, total] = [sum("rtpengineUp"), sum("rtpengineTotal")];
    if (up !== null && total !== null && up < total) tone = "down";
  }
  return { tone, staleParts, missingParts };
}

/** A wall node tile: its tone (fresh snapshot) and how many of its probes are not ok. */
export function expectedWallNode(node: OverviewNode) {
  return {
    name: node.name,
    tone: node.up ? "ok" : "down",
    probeProblems: node.up ? node.probes.filter((p) => p.state !== "ok").length : 0,
  };
}

/** Places in the wall's densest node strip (8 across, 10 deep); see components/wall/node-strip.tsx. */
export const WALL_STRIP_PLACES = 80;

/**
 * The wall's node strip: down nodes first, then up nodes with probes not ok, then the rest, each by name. Up to
 * 80 nodes all are shown; past that only the nodes with a problem are named (at most 78, the count takes two
 * places) and the others counted.
 */
export function expectedWallStrip(api: OverviewResponse) {
  const rank = (n: ReturnType<typeof expectedWallNode>) =>
    n.tone === "down" ? 0 : n.probeProblems > 0 ? 1 : 2;
  const nodes = api.nodes
    .map(expectedWallNode)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const problems = nodes.filter((n) => rank(n) < 2).length;
  const shown = nodes.length <= WALL_STRIP_PLACES ? nodes.length : Math.min(problems, WALL_STRIP_PLACES - 2);
  return { nodes: nodes.slice(0, shown), moreNodes: nodes.length - shown };
}
