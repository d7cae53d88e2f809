import { expect } from "vitest";
import type { OverviewNode, OverviewResponse } from "@/lib/poller/snapshot";

// What the wall's health tiles must show for a fresh GET /api/v1/overview snapshot, worked out from the README's
// rules (not from the wall's view code): only up nodes carry the figures; a down node is named as not counted.
//  - branch failures: the worst judged direction over 5 min of any up node, "0.42 %", ok < 0.5 % ≤ warning < 1 % ≤
//    bad; "too few" with the branch count when none is judged; "—" when no up node has branch counters;
//  - sessions / calls: sums over the up nodes that know both, warning when any of them has a gap;
//  - sockets: WS/WSS connections without a registration "of" all, warning from 10 % or with a registration whose
//    socket is gone;
//  - handshake: the worst p95 over 5 min of the up nodes that probe, bad over 500 ms, warning from 400 ms or with
//    failed attempts in the window; "—" without a successful attempt.

export const healthTileIds = ["branch-failure", "handshake", "sessions", "sockets"] as const;
export type HealthTileId = (typeof healthTileIds)[number];

export type ExpectedHealthTile = {
  tone: string;
  health: string;
  display: string;
  /** Strings, or matchers where a part of the text is an age. */
  details: unknown[];
  notes: string[];
};

const count = (n: number) => n.toLocaleString("en-US");
const names = (list: string[]) =>
  list.length <= 3 ? list.join(", ") : `${list.slice(0, 3).join(", ")} +${list.length - 3} more`;

function downNotes(api: OverviewResponse): string[] {
  const down = api.nodes.filter((n) => !n.up);
  if (down.length === 0) return [];
  if (down.length === 1) return [`${down[0]?.name} down: not counted`];
  return [`${down.length} of ${api.nodes.length} nodes down: not counted`];
}

type Judged = { health: string; display: string; details: unknown[]; notes: string[]; partial: boolean };

function tileTone(api: OverviewResponse, judged: Judged): ExpectedHealthTile {
  let tone = judged.health;
  if (api.nodes.length === 0) tone = "empty";
  else if (api.nodes.some((n) => !n.up)) tone = "down";
  // a judged warning or failure shows through a partial tile, not a fine or empty one
  else if (judged.partial && (judged.health === "ok" || judged.health === "unknown")) tone = "partial";
  const { health, display, details } = judged;
  return { tone, health, display, details, notes: [...downNotes(api), ...judged.notes] };
}

function branchFailure(up: OverviewNode[]): Judged {
  const windows = up.map((node) => ({
    node,
    window: node.branchFailure?.windows.find((w) => w.window === "5m") ?? null,
  }));
  const withCounters = windows.filter((w) => w.window !== null);
  const without = windows.filter((w) => w.window === null).map((w) => w.node.name);
  if (withCounters.length === 0) {
    return { health: "unknown", display: "—", details: ["no branch counters"], notes: [], partial: false };
  }
  const notes = without.length > 0 ? [`no branch counters on ${names(without)}`] : [];
  const odd = withCounters.filter((w) => w.window?.directions.some((d) => d.verdict === "inconsistent"));
  if (odd.length > 0) notes.push(`more failures than branches on ${names(odd.map((w) => w.node.name))}`);
  const judged = withCounters.flatMap(({ node, window }) =>
    (window?.directions ?? []).flatMap((d) => (d.rate === null ? [] : [{ node, ...d, rate: d.rate }])),
  );
  const partial = without.length > 0;
  if (judged.length === 0) {
    const branches = withCounters.reduce((n, w) => n + (w.window?.total.relayed ?? 0), 0);
    const details = [`too few branches: ${count(branches)} in 5 min`, "20 in a direction to judge"];
    return { health: "unknown", display: "too few", details, notes, partial };
  }
  // the highest rate; on a tie the node first by name (the snapshot's order), then the direction first by name
  const worst = judged.reduce((w, d) => (d.rate > w.rate ? d : w));
  const window = withCounters.find((w) => w.node === worst.node)?.window;
  const detail = `${count(worst.failed)} of ${count(worst.relayed)} failed in 5 min`;
  // a window not yet covering 5 min says how much it covers: "(2 min measured)"
  const escaped = detail.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const counts =
    (window?.coveredS ?? 300) < 300
      ? expect.stringMatching(new RegExp(`^${escaped} \\(\\d.* measured\\)$`))
      : detail;
  return {
    health: worst.rate >= 0.01 ? "bad" : worst.rate >= 0.005 ? "warning" : "ok",
    display: `${(worst.rate * 100).toFixed(worst.rate < 0.1 ? 2 : 1)} %`,
    details: [`${worst.direction.replace("_", "→")} on ${worst.node.name}`, counts],
    notes,
    partial,
  };
}

function sessions(up: OverviewNode[]): Judged {
  const known = up.filter((n) => n.sessionsVsCalls !== null);
  const unknown = up.filter((n) => n.sessionsVsCalls === null).map((n) => n.name);
  const notes = unknown.length > 0 ? [`sessions unknown on ${names(unknown)}`] : [];
  if (known.length === 0) {
    const details = ["RTPEngine sessions or answered calls unknown"];
    return { health: "unknown", display: "—", details, notes, partial: false };
  }
  const sum = (key: "sessions" | "calls") =>
    known.reduce((n, node) => n + (node.sessionsVsCalls?.[key] ?? 0), 0);
  const gaps = known.filter((n) => n.sessionsVsCalls?.gap !== 0);
  const signed = (gap: number) => (gap > 0 ? `+${count(gap)}` : `−${count(-gap)}`);
  let details = ["RTPEngine sessions / answered calls, no gap"];
  const [first] = gaps;
  if (gaps.length === 1 && first?.sessionsVsCalls) {
    const s = first.sessionsVsCalls;
    const word = (n: number, w: string) => `${count(n)} ${w}${n === 1 ? "" : "s"}`;
    details = [
      `gap ${signed(s.gap)} on ${first.name}`,
      `${word(s.sessions, "session")} / ${word(s.calls, "call")}`,
    ];
  } else if (gaps.length > 1) {
    const size = (n: OverviewNode) => Math.abs(n.sessionsVsCalls?.gap ?? 0);
    const largest = gaps.reduce((a, b) => (size(b) > size(a) ? b : a));
    details = [
      `gaps on ${gaps.length} nodes`,
      `largest ${signed(largest.sessionsVsCalls?.gap ?? 0)} on ${largest.name}`,
    ];
  }
  return {
    health: gaps.length > 0 ? "warning" : "ok",
    display: `${count(sum("sessions"))} / ${count(sum("calls"))}`,
    details,
    notes,
    partial: unknown.length > 0,
  };
}

function sockets(up: OverviewNode[]): Judged {
  const known = up.filter((n) => n.socketsVsRegistrations !== null);
  const unknown = up.filter((n) => n.socketsVsRegistrations === null).map((n) => n.name);
  const notes = unknown.length > 0 ? [`no ul.dump joined on ${names(unknown)}`] : [];
  if (known.length === 0) {
    const details = ["no ul.dump joined with the connections"];
    return { health: "unknown", display: "—", details, notes, partial: false };
  }
  const failing = known.filter((n) => n.probes.some((p) => p.probe === "contacts" && p.state === "stale"));
  if (failing.length > 0) notes.push(`ul.dump stale on ${names(failing.map((n) => n.name))}`);
  const sum = (key: "connections" | "withoutRegistration" | "registrationsWithoutConnection") =>
    known.reduce((n, node) => n + (node.socketsVsRegistrations?.[key] ?? 0), 0);
  const [all, without, orphans] = [
    sum("connections"),
    sum("withoutRegistration"),
    sum("registrationsWithoutConnection"),
  ];
  const share = all === 0 ? null : without / all;
  const details = [
    share === null
      ? "no WS/WSS connections"
      : `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} % without a registration`,
  ];
  if (orphans > 0) details.push(`${count(orphans)} registration${orphans === 1 ? "" : "s"} without a socket`);
  return {
    health: (share ?? 0) >= 0.1 || orphans > 0 ? "warning" : "ok",
    display: `${count(without)} of ${count(all)}`,
    details,
    notes,
    partial: unknown.length > 0 || failing.length > 0,
  };
}

function handshake(up: OverviewNode[]): Judged {
  const windows = up.map((node) => ({
    node,
    w: node.handshake?.windows.find((x) => x.window === "5m") ?? null,
  }));
  const unprobed = windows.filter((x) => x.w === null).map((x) => x.node.name);
  const notes = unprobed.length > 0 ? [`no handshake probe on ${names(unprobed)}`] : [];
  const failures = windows.flatMap(({ node, w }) =>
    Object.entries(w?.failures ?? {}).map(([reason, n]) => ({ what: `${reason} on ${node.name}`, n })),
  );
  const failed = failures.reduce((n, x) => n + x.n, 0);
  const failureLine =
    failed > 0
      ? [`${failed} failed (${[...new Set(failures.map((x) => x.what))].slice(0, 2).join(", ")})`]
      : [];
  const p95s = windows.flatMap(({ node, w }) => (w?.p95Ms != null ? [{ node, p95: w.p95Ms }] : []));
  if (p95s.length === 0)
    return {
      health: failed > 0 ? "bad" : "unknown",
      display: "—",
      details: failed > 0 ? failureLine : ["no successful handshake in 5 min"],
      notes,
      partial: unprobed.length > 0,
    };
  const worst = p95s.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const judged = worst.p95 > 500 ? "bad" : worst.p95 >= 400 || failed > 0 ? "warning" : "ok";
  return {
    health: judged,
    display: `${worst.p95 < 10 ? worst.p95.toFixed(1) : Math.round(worst.p95)} ms`,
    details: [`p95 over 5 min on ${worst.node.name} (limit 500 ms)`, ...failureLine],
    notes,
    partial: unprobed.length > 0,
  };
}

/** A health tile of the wall for a fresh snapshot (no node's poll older than 3 intervals). */
export function expectedHealthTile(api: OverviewResponse, id: HealthTileId): ExpectedHealthTile {
  const up = api.nodes.filter((n) => n.up);
  const judge = { "branch-failure": branchFailure, handshake, sessions, sockets }[id];
  return tileTone(api, judge(up));
}

/** The words before a health tile's age: the sockets' is its oldest ul.dump joined. */
export function expectedHealthAgePrefix(api: OverviewResponse, id: HealthTileId): string {
  const joined = api.nodes.some((n) => n.up && n.socketsVsRegistrations !== null);
  return id === "sockets" && joined ? "ul.dump joined" : "updated";
}
