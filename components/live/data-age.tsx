import { formatAge } from "./fleet-view";

/** "updated 1.2 s ago"; marked stale (and titled so) when older than the stale threshold. */
export function DataAge({
  ageMs,
  stale,
  prefix = "updated",
  className = "",
}: {
  ageMs: number | null;
  stale: boolean;
  prefix?: string;
  className?: string;
}) {
  return (
    <span
      className={className}
      data-testid="data-age"
      data-stale={stale ? "true" : "false"}
      title={stale ? "Older than 3 poll intervals: these numbers may be out of date" : undefined}
    >
      {ageMs === null ? `${prefix} never` : `${prefix} ${formatAge(ageMs)} ago`}
      {stale ? " · stale" : ""}
    </span>
  );
}
