import Link from "next/link";
import { DataAge } from "@/components/live/data-age";
import {
  formatCount,
  type NodeTone,
  nodeTone,
  pollAgeMs,
  problemProbes,
  readingOf,
  shownNumber,
  valuesAgeMs,
} from "@/components/live/fleet-view";
import { probeLine, shortProbeName } from "@/components/live/reading-text";
import type { ProbeStatus } from "@/lib/poller/readings";
import type { NodeNumbers, OverviewNode } from "@/lib/poller/snapshot";
import { MoreChip, NodeChip } from "./node-chips";
import { toneClasses, toneLabels } from "./tone-classes";

/** Problems first: when the strip cannot show every node, the ones left out are the fine ones. */
const severity: Record<NodeTone, number> = { down: 0, stale: 1, ok: 2 };

/** At most this many probe problems are named on a tile; the rest are counted ("+2"). */
const PROBLEMS_NAMED = 2;

const numbers: [string, keyof NodeNumbers][] = [
  ["WS", "ws"],
  ["WSS", "wss"],
  ["Reg", "registrations"],
  ["Dlg", "dialogsActive"],
];

/** One number: greyed when it is a stale last good value, "—" when the node cannot give it. */
function NodeNumber({
  node,
  label,
  numberKey,
}: {
  node: OverviewNode;
  label: string;
  numberKey: keyof NodeNumbers;
}) {
  const reading = readingOf(node, numberKey);
  const state = reading?.state ?? (node.up ? "ok" : "last-known");
  const value = shownNumber(node, numberKey);
  const dim = node.up && state !== "ok" ? "italic opacity-60" : "";
  return (
    <div className="flex justify-between gap-2 whitespace-nowrap">
      <dt className="opacity-70">{label}</dt>
      <dd className={dim} data-state={state} title={reading?.reason ?? undefined}>
        {formatCount(value)}
      </dd>
    </div>
  );
}

/** "RTPEngine NG: failing · Reg: unavailable · +1": short, for across the room; the reasons are in the title. */
function ProbeProblems({ problems }: { problems: ProbeStatus[] }) {
  if (problems.length === 0) return null;
  const named = problems.slice(0, PROBLEMS_NAMED).map((p) => `${shortProbeName(p.probe)}: ${p.state}`);
  const more = problems.length - PROBLEMS_NAMED;
  return (
    <div
      className="truncate text-lg font-semibold text-amber-300"
      title={problems.map((p) => probeLine(p, null)).join("\n")}
      data-testid="wall-node-problems"
    >
      {named.join(" · ")}
      {more > 0 ? ` · +${more}` : ""}
    </div>
  );
}

function NodeTile({
  node,
  tone,
  problems,
  elapsedMs,
}: {
  node: OverviewNode;
  tone: NodeTone;
  problems: ProbeStatus[];
  elapsedMs: number;
}) {
  return (
    <section
      className={`min-w-0 rounded-xl border-2 px-4 py-2 ${toneClasses[tone]}`}
      data-testid="wall-node"
      data-node={node.name}
      data-tone={tone}
      data-probe-problems={problems.length}
      aria-label={`node ${node.name}`}
    >
      <header className="flex items-baseline justify-between gap-3">
        <h3 className="truncate text-2xl font-semibold">
          <Link href={`/nodes/${encodeURIComponent(node.name)}`}>{node.name}</Link>
        </h3>
        <span className="text-xl font-bold tracking-wider">{tone === "ok" ? "UP" : toneLabels[tone]}</span>
      </header>
      <dl className={`grid grid-cols-2 gap-x-4 text-xl tabular-nums ${node.up ? "" : "italic opacity-80"}`}>
        {numbers.map(([label, key]) => (
          <NodeNumber key={key} node={node} label={label} numberKey={key} />
        ))}
      </dl>
      <ProbeProblems problems={problems} />
      {node.error ? (
        <div className="truncate text-lg" title={node.error}>
          {node.error}
        </div>
      ) : null}
      <DataAge
        className="block truncate text-lg opacity-80"
        ageMs={node.up ? pollAgeMs(node, elapsedMs) : valuesAgeMs(node, elapsedMs)}
        stale={tone === "stale"}
        prefix={node.up ? "polled" : "last up"}
      />
    </section>
  );
}

/** A node in a few words, for a fleet too big for full tiles: its name, state, and its problems or age. */
function CompactNodeTile({
  node,
  tone,
  problems,
  elapsedMs,
}: {
  node: OverviewNode;
  tone: NodeTone;
  problems: ProbeStatus[];
  elapsedMs: number;
}) {
  return (
    <section
      className={`min-w-0 rounded-xl border-2 px-3 py-1 ${toneClasses[tone]}`}
      data-testid="wall-node"
      data-node={node.name}
      data-tone={tone}
      data-probe-problems={problems.length}
      aria-label={`node ${node.name}`}
      title={node.error ?? undefined}
    >
      <header className="flex items-baseline justify-between gap-2">
        <h3 className="truncate text-xl font-semibold" title={node.name}>
          <Link href={`/nodes/${encodeURIComponent(node.name)}`}>{node.name}</Link>
        </h3>
        <span className="text-lg font-bold tracking-wider">{tone === "ok" ? "UP" : toneLabels[tone]}</span>
      </header>
      {problems.length > 0 ? (
        <ProbeProblems problems={problems} />
      ) : (
        <DataAge
          className="block truncate text-lg opacity-80"
          ageMs={node.up ? pollAgeMs(node, elapsedMs) : valuesAgeMs(node, elapsedMs)}
          stale={tone === "stale"}
          prefix={node.up ? "polled" : "last up"}
        />
      )}
    </section>
  );
}

/** The dense strip's grid: eight one-line places across, ten deep (fits the strip's 22 rem at 1920×1080). */
export const DENSE_COLUMNS = 8;
export const DENSE_PLACES = DENSE_COLUMNS * 10;

export type StripLayout = { mode: "full" | "compact" | "dense"; columns: number; places: number };

/**
 * How the strip fits the wall (120 × 67.5 rem, see app/wall/layout.tsx): up to 10 nodes as full tiles (5 across,
 * 2 deep); up to 24 as compact tiles (6 across, 4 deep); more as one-line chips (8 across, 10 deep).
 */
export function stripLayout(nodes: number): StripLayout {
  if (nodes <= 10) return { mode: "full", columns: 5, places: 10 };
  if (nodes <= 24) return { mode: "compact", columns: 6, places: 24 };
  return { mode: "dense", columns: DENSE_COLUMNS, places: DENSE_PLACES };
}

type Ranked = { node: OverviewNode; tone: NodeTone; problems: ProbeStatus[] };

/**
 * Which nodes get a place: all when they fit. Past DENSE_PLACES, only the nodes with a problem (down, stale, probes
 * not ok) are named, at most DENSE_PLACES − 2 (the count takes two places); every other node is counted.
 */
export function stripShown(tiles: Ranked[], layout: StripLayout): number {
  if (tiles.length <= layout.places) return tiles.length;
  const problems = tiles.filter((t) => t.tone !== "ok" || t.problems.length > 0).length;
  return Math.min(problems, layout.places - 2);
}

const gridColumns: Record<number, string> = {
  5: "grid-cols-5",
  6: "grid-cols-6",
  8: "grid-cols-8",
};

/**
 * One small tile per node along the bottom of the wall: down and stale nodes first, then up nodes with probe
 * problems, so the nodes a full strip leaves out (counted in its last place) are the fine ones.
 */
export function NodeStrip({ nodes, elapsedMs }: { nodes: OverviewNode[]; elapsedMs: number }) {
  if (nodes.length === 0) {
    return <p className="text-3xl text-slate-400">No nodes are being polled.</p>;
  }
  const rank = (tone: NodeTone, problems: number) => severity[tone] * 2 + (problems > 0 ? 0 : 1);
  const tiles: Ranked[] = nodes
    .map((node) => ({ node, tone: nodeTone(node, elapsedMs), problems: problemProbes(node) }))
    .sort(
      (a, b) =>
        rank(a.tone, a.problems.length) - rank(b.tone, b.problems.length) ||
        a.node.name.localeCompare(b.node.name),
    );
  const layout = stripLayout(tiles.length);
  const shown = stripShown(tiles, layout);
  const Tile = layout.mode === "full" ? NodeTile : layout.mode === "compact" ? CompactNodeTile : NodeChip;
  const hidden = tiles.slice(shown).map((t) => ({ tone: t.tone, problems: t.problems.length }));
  return (
    <div
      className={`grid max-h-[22rem] overflow-hidden ${layout.mode === "dense" ? "gap-1.5" : "gap-3"} ${gridColumns[layout.columns]}`}
      data-testid="wall-node-strip"
      data-compact={layout.mode === "full" ? "false" : "true"}
      data-mode={layout.mode}
    >
      {tiles.slice(0, shown).map(({ node, tone, problems }) => (
        <Tile key={node.name} node={node} tone={tone} problems={problems} elapsedMs={elapsedMs} />
      ))}
      {hidden.length > 0 ? <MoreChip hidden={hidden} /> : null}
    </div>
  );
}
