import { DataAge } from "@/components/live/data-age";
import { formatCount, nodeTone, pollAgeMs, shownNumber, valuesAgeMs } from "@/components/live/fleet-view";
import type { OverviewNode } from "@/lib/poller/snapshot";
import { toneClasses, toneLabels } from "./tone-classes";

function NodeTile({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const tone = nodeTone(node, elapsedMs);
  const numbers = [
    ["WS", shownNumber(node, "ws")],
    ["WSS", shownNumber(node, "wss")],
    ["Reg", shownNumber(node, "registrations")],
    ["Dlg", shownNumber(node, "dialogsActive")],
  ] as const;
  return (
    <section
      className={`min-w-[18rem] flex-1 rounded-xl border-2 px-5 py-3 ${toneClasses[tone]}`}
      data-testid="wall-node"
      data-node={node.name}
      data-tone={tone}
      aria-label={`node ${node.name}`}
    >
      <header className="flex items-baseline justify-between gap-3">
        <h3 className="truncate text-3xl font-semibold">{node.name}</h3>
        <span className="text-2xl font-bold tracking-wider">{tone === "ok" ? "UP" : toneLabels[tone]}</span>
      </header>
      <div className={`mt-1 flex gap-6 text-3xl tabular-nums ${node.up ? "" : "italic opacity-80"}`}>
        {numbers.map(([label, value]) => (
          <span key={label}>
            <span className="opacity-70">{label}</span> {formatCount(value)}
          </span>
        ))}
      </div>
      {node.error ? (
        <div className="mt-1 truncate text-2xl" title={node.error}>
          {node.error}
        </div>
      ) : null}
      <DataAge
        className="mt-1 block text-2xl opacity-80"
        ageMs={pollAgeMs(node, elapsedMs)}
        stale={tone === "stale"}
        prefix="polled"
      />
      {node.up ? null : (
        <DataAge
          className="block text-2xl opacity-80"
          ageMs={valuesAgeMs(node, elapsedMs)}
          stale={tone === "stale"}
          prefix="last up"
        />
      )}
    </section>
  );
}

/** One small tile per node along the bottom of the wall. */
export function NodeStrip({ nodes, elapsedMs }: { nodes: OverviewNode[]; elapsedMs: number }) {
  if (nodes.length === 0) {
    return <p className="text-3xl text-slate-400">No nodes are being polled.</p>;
  }
  return (
    <div className="flex flex-wrap gap-4" data-testid="wall-node-strip">
      {nodes.map((node) => (
        <NodeTile key={node.name} node={node} elapsedMs={elapsedMs} />
      ))}
    </div>
  );
}
