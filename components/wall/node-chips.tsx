import Link from "next/link";
import type { NodeTone } from "@/components/live/fleet-view";
import { probeLine, shortProbeName } from "@/components/live/reading-text";
import type { ProbeStatus } from "@/lib/poller/readings";
import type { OverviewNode } from "@/lib/poller/snapshot";
import { toneClasses, toneLabels } from "./tone-classes";

// The wall's densest node strip, for a fleet past 24 nodes: one line per node, eight across. A down node's chip
// is its name alone on red (the header counts the down nodes); other states add a word.

/** Characters of a name a chip shows whole; a longer one keeps its start and its end ("kam-edge-f…-nyc-017"). */
export const CHIP_NAME_CHARS = 22;

/** The name as a chip shows it: cut in the middle past CHIP_NAME_CHARS, as names differ most at their ends. */
export function chipName(name: string): string {
  if (name.length <= CHIP_NAME_CHARS) return name;
  const tail = Math.ceil((CHIP_NAME_CHARS - 1) / 2);
  return `${name.slice(0, CHIP_NAME_CHARS - 1 - tail)}…${name.slice(-tail)}`;
}

/**
 * A node in one line: its name (cut in the middle, full in the title) on its state's colour; a word for stale
 * ("STALE") and up ("UP") nodes, or for an up node with probes not ok the first of them ("Reg: stale +1") in
 * amber. The node's error and every probe line are in the title.
 */
export function NodeChip({
  node,
  tone,
  problems,
}: {
  node: OverviewNode;
  tone: NodeTone;
  problems: ProbeStatus[];
  elapsedMs: number;
}) {
  const first = problems[0];
  const chipTone = tone === "ok" && problems.length > 0 ? "partial" : tone;
  const title = [node.name, node.error, ...problems.map((p) => probeLine(p, null))]
    .filter(Boolean)
    .join("\n");
  return (
    <section
      className={`flex min-w-0 items-baseline justify-between gap-2 rounded-md border-2 px-2 ${toneClasses[chipTone]}`}
      data-testid="wall-node"
      data-node={node.name}
      data-tone={tone}
      data-probe-problems={problems.length}
      aria-label={`node ${node.name} ${toneLabels[tone].toLowerCase()}`}
      title={title}
    >
      {/* the name comes first: beside a word it keeps up to 2/3 of the chip, the word is cut before it */}
      <h3
        className={`min-w-0 shrink-0 truncate text-base font-semibold ${tone === "down" ? "max-w-full" : "max-w-[66%]"}`}
      >
        <Link href={`/nodes/${encodeURIComponent(node.name)}`}>{chipName(node.name)}</Link>
      </h3>
      {tone === "ok" && first ? (
        <span
          className="min-w-0 truncate text-sm font-semibold text-amber-300"
          data-testid="wall-node-problems"
        >
          {shortProbeName(first.probe)}: {first.state}
          {problems.length > 1 ? ` +${problems.length - 1}` : ""}
        </span>
      ) : tone === "down" ? null : (
        <span className="shrink-0 text-sm font-bold tracking-wider">
          {tone === "ok" ? "UP" : toneLabels[tone]}
        </span>
      )}
    </section>
  );
}

/** The nodes a dense strip leaves out, on one line over two places: "+25 more · 25 up", "+21 more · 1 down · 20 up". */
export function MoreChip({ hidden }: { hidden: { tone: NodeTone; problems: number }[] }) {
  const count = (tone: NodeTone) => hidden.filter((h) => h.tone === tone).length;
  const parts = (["down", "stale", "ok"] as const)
    .map((tone) => [count(tone), tone === "ok" ? "up" : tone] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`);
  const worst = count("down") > 0 ? "down" : count("stale") > 0 ? "stale" : "ok";
  return (
    <section
      className={`col-span-2 min-w-0 truncate rounded-md border-2 border-dashed px-2 text-base font-semibold ${toneClasses[worst]}`}
      data-testid="wall-node-more"
      data-count={hidden.length}
      title={parts.join(" · ")}
    >
      +{hidden.length} more · {parts.join(" · ")}
    </section>
  );
}
