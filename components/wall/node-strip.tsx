import { DataAge } from "@/components/live/data-age";
import {
  formatCount,
  type NodeTone,
  nodeTone,
  pollAgeMs,
  shownNumber,
  valuesAgeMs,
} from "@/components/live/fleet-view";
import type { OverviewNode } from "@/lib/poller/snapshot";
import { toneClasses, toneLabels } from "./tone-classes";

/** Problems first: when the strip cannot show every node, the ones hidden are fine. */
const severity: Record<NodeTone, number> = { down: 0, stale: 1, ok: 2 };

function NodeTile({ node, tone, elapsedMs }: { node: OverviewNode; tone: NodeTone; elapsedMs: number }) {
  const numbers = [
    ["WS", shownNumber(node, "ws")],
    ["WSS", shownNumber(node, "wss")],
    ["Reg", shownNumber(node, "registrations")],
    ["Dlg", shownNumber(node, "dialogsActive")],
  ] as const;
  return (
    <section
      className={`min-w-0 rounded-xl border-2 px-4 py-2 ${toneClasses[tone]}`}
      data-testid="wall-node"
      data-node={node.name}
      data-tone={tone}
      aria-label={`node ${node.name}`}
    >
      <header className="flex items-baseline justify-between gap-3">
        <h3 className="truncate text-2xl font-semibold">{node.name}</h3>
        <span className="text-xl font-bold tracking-wider">{tone === "ok" ? "UP" : toneLabels[tone]}</span>
      </header>
      <dl className={`grid grid-cols-2 gap-x-4 text-xl tabular-nums ${node.up ? "" : "italic opacity-80"}`}>
        {numbers.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-2 whitespace-nowrap">
            <dt className="opacity-70">{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
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

/** One small tile per node along the bottom of the wall, down and stale nodes first; at most two rows. */
export function NodeStrip({ nodes, elapsedMs }: { nodes: OverviewNode[]; elapsedMs: number }) {
  if (nodes.length === 0) {
    return <p className="text-3xl text-slate-400">No nodes are being polled.</p>;
  }
  const tiles = nodes
    .map((node) => ({ node, tone: nodeTone(node, elapsedMs) }))
    .sort((a, b) => severity[a.tone] - severity[b.tone] || a.node.name.localeCompare(b.node.name));
  return (
    <div
      className="grid max-h-[22rem] grid-cols-[repeat(auto-fit,minmax(19rem,1fr))] gap-3 overflow-hidden"
      data-testid="wall-node-strip"
    >
      {tiles.map(({ node, tone }) => (
        <NodeTile key={node.name} node={node} tone={tone} elapsedMs={elapsedMs} />
      ))}
    </div>
  );
}
