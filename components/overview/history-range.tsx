import Link from "next/link";
import { HISTORY_RANGES, type HistoryRange } from "@/lib/metrics/history-range";

/**
 * The chart range switch (1 h, 24 h, 7 d, 30 d) as links setting `?range=` on `path`: the page re-renders on the
 * server and, being a navigation, keeps the current charts on screen until the new ones are ready.
 */
export function HistoryRangeLinks({ path, current }: { path: string; current: HistoryRange }) {
  return (
    <nav className="flex gap-1" aria-label="Chart range" data-testid="history-range">
      {HISTORY_RANGES.map((range) => (
        <Link
          key={range}
          href={`${path}?range=${range}`}
          scroll={false}
          aria-current={range === current ? "page" : undefined}
          className={`rounded-tremor-small px-3 py-1 text-tremor-default ${
            range === current
              ? "bg-tremor-brand text-tremor-brand-inverted"
              : "bg-tremor-background-muted text-tremor-content hover:bg-tremor-background-subtle"
          }`}
        >
          {range}
        </Link>
      ))}
    </nav>
  );
}
