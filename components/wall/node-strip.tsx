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
import { toneClasses, toneLabels } from "./tone-classes";

/** Problems first: when the strip cannot show every node, the ones hidden are fine. */
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
        <h3 className="truncate text-2xl font-semibold">{node.name}</h3>
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

/**
 * One small tile per node along the bottom of the wall: down and stale nodes first, then up nodes with probe
 * problems; at most two rows.
 */
export function NodeStrip({ nodes, elapsedMs }: { nodes: OverviewNode[]; elapsedMs: number }) {
  if (nodes.length === 0) {
    return <p className="text-3xl text-slate-400">No nodes are being polled.</p>;
  }
  const rank = (tone: NodeTone, problems: number) => severity[tone] * 2 + (problems > 0 ? 0 : 1);
  const tiles = nodes
    .map((node) => ({ node, tone: nodeTone(node, elapsedMs), problems: problemProbes(node) }))
    .sort(
      (a, b) =>
        rank(a.tone, a.problems.length) - rank(b.tone, b.problems.length) ||
        a.node.name.localeCompare(b.node.name),
    );
  return (
    <div
      className="grid max-h-[22rem] grid-cols-[repeat(auto-fill,minmax(22rem,1fr))] gap-3 overflow-hidden"
      data-testid="wall-node-strip"
    >
      {tiles.map(({ node, tone, problems }) => (
        <NodeTile key={node.name} node={node} tone={tone} problems={problems} elapsedMs={elapsedMs} />
      ))}
    </div>
  );
}
