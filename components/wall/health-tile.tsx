import { DataAge } from "@/components/live/data-age";
import {
  branchFailureFigure,
  type HealthFigure,
  type HealthTileTone,
  sessionsFigure,
  socketsFigure,
} from "@/components/live/health-figures";
import type { OverviewResponse } from "@/lib/poller/snapshot";
import { healthLabels, healthToneClasses } from "./tone-classes";
import { numberSize } from "./wall-tile";

/** Tile tones that say something about the data rather than the health. */
const dataTones: HealthTileTone[] = ["partial", "down", "stale"];

/** "WARNING", "DOWN", and both when a judged warning or failure sits in a tile coloured by its data. */
function badge(figure: HealthFigure): string {
  const judged = figure.health === "warning" || figure.health === "bad";
  const label = healthLabels[figure.tone];
  return judged && dataTones.includes(figure.tone) ? `${healthLabels[figure.health]} · ${label}` : label;
}

/**
 * At most two lines of notes, so the number keeps its size: the first note, then the others on one line
 * (each in full in the title).
 */
export function noteLines(notes: readonly string[]): string[] {
  const [first, ...rest] = notes;
  if (first === undefined) return [];
  return rest.length === 0 ? [first] : [first, rest.join(" · ")];
}

/** One of the seed's health numbers, with what it is made of and the nodes not in it, readable across the room. */
export function HealthTile({
  id,
  label,
  figure,
  className = "",
}: {
  id: string;
  label: string;
  figure: HealthFigure;
  className?: string;
}) {
  return (
    <section
      className={`flex min-h-0 min-w-0 flex-col rounded-2xl border-2 p-5 ${healthToneClasses[figure.tone]} ${className}`}
      data-testid={`wall-health-${id}`}
      data-tone={figure.tone}
      data-health={figure.health}
      data-value={figure.value ?? ""}
      data-missing-parts={figure.missingParts}
      data-stale-parts={figure.staleParts}
      aria-label={label}
    >
      <header className="flex items-baseline justify-between gap-4">
        <h2 className="truncate text-2xl font-semibold uppercase tracking-wide opacity-90">{label}</h2>
        <span className="shrink-0 text-xl font-bold tracking-wider" data-testid="wall-health-badge">
          {badge(figure)}
        </span>
      </header>
      <div className="flex min-h-0 flex-1 items-center [container-type:size]">
        <span
          className="whitespace-nowrap font-bold leading-none tabular-nums"
          style={{ fontSize: numberSize(figure.display) }}
          data-testid="wall-health-display"
        >
          {figure.display}
        </span>
      </div>
      <footer className="space-y-1 text-xl leading-tight">
        {figure.details.slice(0, 2).map((text) => (
          <div key={text} className="truncate opacity-90" title={text} data-testid="wall-health-detail">
            {text}
          </div>
        ))}
        {noteLines(figure.notes).map((text) => (
          <div
            key={text}
            className="truncate font-semibold text-amber-200"
            title={figure.notes.join("\n")}
            data-testid="wall-health-note"
          >
            {text}
          </div>
        ))}
        <DataAge
          className="block opacity-80"
          ageMs={figure.ageMs}
          stale={figure.stale}
          prefix={figure.agePrefix}
        />
      </footer>
    </section>
  );
}

/** The row of the seed's health numbers: branch failures, sessions against calls, sockets without registration. */
export function HealthTiles({ fleet, elapsedMs }: { fleet: OverviewResponse; elapsedMs: number }) {
  return (
    <>
      <HealthTile
        className="col-span-5"
        id="branch-failure"
        label="Branch failures"
        figure={branchFailureFigure(fleet, elapsedMs)}
      />
      <HealthTile
        className="col-span-5"
        id="sessions"
        label="Sessions / calls"
        figure={sessionsFigure(fleet, elapsedMs)}
      />
      <HealthTile
        className="col-span-5"
        id="sockets"
        label="Unregistered sockets"
        figure={socketsFigure(fleet, elapsedMs)}
      />
    </>
  );
}
