import { DataAge } from "@/components/live/data-age";
import { type FleetFigure, formatCount } from "@/components/live/fleet-view";
import { figureNotes } from "@/components/live/reading-text";
import { toneClasses, toneLabels } from "./tone-classes";

type WallTileProps = {
  /** Stable id for tests and styling hooks, e.g. "ws". */
  id: string;
  label: string;
  figure: FleetFigure;
  /** Replaces the formatted figure value (e.g. "2 / 2" for RTPEngine). */
  display?: string;
  detail?: string;
  nodesTotal: number;
  className?: string;
};

function downNote(figure: FleetFigure, nodesTotal: number): string | null {
  if (figure.nodesDown === 0) return null;
  return `${figure.nodesDown} of ${nodesTotal} node${nodesTotal === 1 ? "" : "s"} down`;
}

/**
 * 11rem, smaller when the number is long ("12,345") or the tile is short (many nodes in the strip below):
 * the number's box is a size container, so cqw/cqh are its free width/height.
 */
export function numberSize(text: string): string {
  return `min(11rem, ${(150 / Math.max(1, text.length)).toFixed(1)}cqw, 95cqh)`;
}

/** One big number, readable across the room, with the age of its data and a tone for down / stale / partial. */
export function WallTile({ id, label, figure, display, detail, nodesTotal, className = "" }: WallTileProps) {
  const note = downNote(figure, nodesTotal);
  const shown = display ?? formatCount(figure.value);
  // up nodes whose part is stale or missing: said in words, so a partial number never passes for a clean one
  const partNotes = figureNotes(figure);
  // with a down node's last values (or an up node's stale ones) in the sum, the number is partly old: show how
  // old its oldest part is
  const partlyOld = figure.lastKnownIncluded > 0 || figure.staleIncluded.length > 0;
  const showValuesAge = partlyOld && figure.valuesAgeMs !== null;
  return (
    <section
      className={`flex min-h-0 min-w-0 flex-col rounded-2xl border-2 p-5 ${toneClasses[figure.tone]} ${className}`}
      data-testid={`wall-tile-${id}`}
      data-tone={figure.tone}
      data-value={figure.value ?? ""}
      data-stale-parts={figure.staleIncluded.length}
      data-missing-parts={figure.missing.length}
      aria-label={label}
    >
      {/* five tiles share a row: a long label pushes the tone word onto its own line rather than over the edge */}
      <header className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 className="text-2xl font-semibold uppercase tracking-wide opacity-90">{label}</h2>
        <span className="ml-auto text-xl font-bold tracking-wider">{toneLabels[figure.tone]}</span>
      </header>
      <div className="flex min-h-0 flex-1 items-center [container-type:size]">
        <span className="font-bold leading-none tabular-nums" style={{ fontSize: numberSize(shown) }}>
          {shown}
        </span>
      </div>
      <footer className="space-y-1 text-xl leading-tight">
        {detail ? <div className="opacity-90">{detail}</div> : null}
        {note ? <div className="font-semibold">{note}</div> : null}
        {partNotes.map((text) => (
          <div
            key={text}
            className="line-clamp-2 font-semibold text-amber-200"
            title={text}
            data-testid="wall-tile-note"
          >
            {text}
          </div>
        ))}
        <DataAge
          className="block opacity-80"
          ageMs={showValuesAge ? figure.valuesAgeMs : figure.pollAgeMs}
          stale={figure.tone === "stale"}
          prefix={
            !showValuesAge
              ? "updated"
              : figure.lastKnownIncluded > 0
                ? "incl. last-known from"
                : "incl. stale from"
          }
        />
      </footer>
    </section>
  );
}
