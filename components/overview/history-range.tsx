"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { HISTORY_RANGES, type HistoryRange } from "@/lib/metrics/history-range";

/**
 * The chart range switch (1 h, 24 h, 7 d, 30 d) as links setting `?range=` on `path`: the page re-renders on the
 * server and, being a navigation, keeps the current charts on screen until the new ones are ready. The page's other
 * query parameters (the overview table's sort and filter, which it writes with history.replaceState) are kept:
 * read with useSearchParams, which follows those changes.
 */
export function HistoryRangeLinks({ path, current }: { path: string; current: HistoryRange }) {
  const params = useSearchParams();
  const href = (range: HistoryRange) => {
    const next = new URLSearchParams(params.toString());
    next.set("range", range);
    return `${path}?${next.toString()}`;
  };
  return (
    <nav className="flex gap-1" aria-label="Chart range" data-testid="history-range">
      {HISTORY_RANGES.map((range) => (
        <Link
          key={range}
          href={href(range)}
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
