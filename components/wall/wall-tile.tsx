import { DataAge } from "@/components/live/data-age";
import { type FleetFigure, formatCount } from "@/components/live/fleet-view";
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
  const down = `${figure.nodesDown} of ${nodesTotal} node${nodesTotal === 1 ? "" : "s"} down`;
  return figure.lastKnownIncluded > 0 ? `${down} · includes last-known values` : down;
}

/** One big number, readable across the room, with the age of its data and a tone for down/stale. */
export function WallTile({ id, label, figure, display, detail, nodesTotal, className = "" }: WallTileProps) {
  const note = downNote(figure, nodesTotal);
  // with a node down, the number is partly old: show how old its oldest part is
  const showValuesAge = figure.nodesDown > 0 && figure.valuesAgeMs !== null;
  return (
    <section
      className={`flex min-h-0 flex-col justify-between rounded-2xl border-2 p-6 ${toneClasses[figure.tone]} ${className}`}
      data-testid={`wall-tile-${id}`}
      data-tone={figure.tone}
      data-value={figure.value ?? ""}
      aria-label={label}
    >
      <header className="flex items-baseline justify-between gap-4">
        <h2 className="text-3xl font-semibold uppercase tracking-wide opacity-90">{label}</h2>
        <span className="text-2xl font-bold tracking-wider">{toneLabels[figure.tone]}</span>
      </header>
      <div className="text-[11rem] font-bold leading-none tabular-nums">
        {display ?? formatCount(figure.value)}
      </div>
      <footer className="space-y-1 text-2xl">
        {detail ? <div className="opacity-90">{detail}</div> : null}
        {note ? <div className="font-semibold">{note}</div> : null}
        <DataAge
          className="block opacity-80"
          ageMs={showValuesAge ? figure.valuesAgeMs : figure.pollAgeMs}
          stale={figure.tone === "stale"}
          prefix={showValuesAge ? "values from" : "updated"}
        />
      </footer>
    </section>
  );
}
