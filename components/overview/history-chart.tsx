"use client";

import { AreaChart, Card, Text, Title } from "@tremor/react";
import { useEffect, useMemo, useState } from "react";
import { timeLabel as rangeTimeLabel } from "@/components/node/history-rows";
import { HISTORY_RANGE_MS, type HistoryRange } from "@/lib/metrics/history-range";
import type { HistoryPoint } from "./history-rows";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

const TITLES: Record<HistoryRange, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

/** The fleet over a range from PostgreSQL; drawn in the browser (charts are client-only), labelled in local time. */
export function HistoryChart({
  points,
  series,
  subtitle,
  range = "1h",
  bucketMs = 60_000,
}: {
  points: HistoryPoint[];
  series: string[];
  subtitle: string;
  range?: HistoryRange;
  bucketMs?: number;
}) {
  const timeLabel = (iso: string) => rangeTimeLabel(iso, bucketMs, HISTORY_RANGE_MS[range]);
  // local-time labels only in the browser: the server's time zone may differ (hydration mismatch)
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const rows = useMemo(
    () =>
      points.map(({ at, ...values }) => ({
        time: rangeTimeLabel(at, bucketMs, HISTORY_RANGE_MS[range]),
        ...values,
      })),
    [points, range, bucketMs],
  );
  const firstWithData = points.findIndex((p) => series.some((s) => p[s as keyof HistoryPoint] !== null));
  const hasData = firstWithData >= 0;
  // a young database fills only the right end of the hour; say so rather than leave the reader guessing
  const since =
    inBrowser && firstWithData > 0 ? ` · samples since ${timeLabel(points[firstWithData]?.at ?? "")}` : "";
  return (
    <Card data-testid="overview-history" data-range={range}>
      <Title>{TITLES[range]}</Title>
      <Text>
        {subtitle}
        {since}
      </Text>
      {hasData ? (
        <AreaChart
          className="mt-4 h-72"
          data={rows}
          index="time"
          categories={series}
          colors={["blue", "violet", "emerald", "amber"]}
          valueFormatter={(value: number) => integer.format(value)}
          connectNulls={false}
          showAnimation={false}
          yAxisWidth={48}
          allowDecimals={false}
        />
      ) : (
        <Text className="mt-6">No samples in this range yet.</Text>
      )}
    </Card>
  );
}
