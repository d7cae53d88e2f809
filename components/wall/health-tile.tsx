import { SparkAreaChart } from "@tremor/react";
import { DataAge } from "@/components/live/data-age";
import { handshakeFigure } from "@/components/live/handshake-figure";
import {
  branchFailureFigure,
  type HealthFigure,
  type HealthTileTone,
  sessionsFigure,
  socketsFigure,
} from "@/components/live/health-figures";
import type { SparklineKey, SparkPoint } from "@/lib/metrics/queries/getHealthSparklines";
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

/**
 * The last hour of a tile's number (1-minute rollups, from PostgreSQL), white on the tile's colour
 * (Tremor builds `stroke-white fill-white` at run time: named here so Tailwind keeps them). A minute without a
 * value is a gap (recharts leaves nulls unconnected), never a 0; no line at all says so in words.
 */
export function HealthSparkline({ points }: { points: readonly SparkPoint[] }) {
  const measured = points.filter((p) => p.value !== null).length;
  if (measured === 0) {
    return (
      <div className="h-12 text-lg opacity-70" data-testid="wall-health-sparkline" data-points="0">
        no history in the last hour
      </div>
    );
  }
  return (
    <div data-testid="wall-health-sparkline" data-points={measured} title="last hour, per minute">
      <SparkAreaChart
        className="h-12 w-full"
        data={points.map((p) => ({ at: p.at, value: p.value }))}
        index="at"
        categories={["value"]}
        colors={["white"]}
        connectNulls={false}
      />
    </div>
  );
}

/**
 * A fleet whose nodes are all down has no health figure: the tile says "node down" (or how many), rather than a
 * reason that fits an up node ("no branch counters", "no ul.dump joined").
 */
export function withDownReason(figure: HealthFigure, fleet: OverviewResponse): HealthFigure {
  const { nodes } = fleet;
  if (nodes.length === 0 || nodes.some((n) => n.up)) return figure;
  const [only] = nodes;
  const reason = nodes.length === 1 && only ? `node down (${only.name})` : `all ${nodes.length} nodes down`;
  return { ...figure, details: [reason] };
}

/** One of the seed's health numbers, with what it is made of and the nodes not in it, readable across the room. */
export function HealthTile({
  id,
  label,
  figure,
  spark,
  className = "",
}: {
  id: string;
  label: string;
  figure: HealthFigure;
  /** The last hour of the number (null: none loaded, e.g. no database). */
  spark?: readonly SparkPoint[] | null;
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
      {spark ? <HealthSparkline points={spark} /> : null}
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

/**
 * The row of the seed's four health numbers: branch failures, handshake latency, sessions against calls, sockets
 * without registration.
 */
export function HealthTiles({
  fleet,
  elapsedMs,
  sparklines,
}: {
  fleet: OverviewResponse;
  elapsedMs: number;
  sparklines?: Record<SparklineKey, SparkPoint[]> | null;
}) {
  return (
    <>
      <HealthTile
        className="col-span-5"
        id="branch-failure"
        spark={sparklines?.["branch-failure"]}
        label="Branch failures"
        figure={withDownReason(branchFailureFigure(fleet, elapsedMs), fleet)}
      />
      <HealthTile
        className="col-span-5"
        id="handshake"
        spark={sparklines?.handshake}
        label="Handshake p95"
        figure={withDownReason(handshakeFigure(fleet, elapsedMs), fleet)}
      />
      <HealthTile
        className="col-span-5"
        id="sessions"
        spark={sparklines?.sessions}
        label="Sessions / calls"
        figure={withDownReason(sessionsFigure(fleet, elapsedMs), fleet)}
      />
      <HealthTile
        className="col-span-5"
        id="sockets"
        spark={sparklines?.sockets}
        label="Unregistered sockets"
        figure={withDownReason(socketsFigure(fleet, elapsedMs), fleet)}
      />
    </>
  );
}
