"use client";

import { AreaChart, Card, Text, Title } from "@tremor/react";
import { useEffect, useMemo, useState } from "react";
import type { HistoryPoint } from "./history-rows";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

function timeLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

/** The last hour from PostgreSQL; drawn in the browser (charts are client-only), labelled in local time. */
export function HistoryChart({
  points,
  series,
  subtitle,
}: {
  points: HistoryPoint[];
  series: string[];
  subtitle: string;
}) {
  // local-time labels only in the browser: the server's time zone may differ (hydration mismatch)
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const rows = useMemo(
    () => points.map(({ at, ...values }) => ({ time: timeLabel(at), ...values })),
    [points],
  );
  const firstWithData = points.findIndex((p) => series.some((s) => p[s as keyof HistoryPoint] !== null));
  const hasData = firstWithData >= 0;
  // a young database fills only the right end of the hour; say so rather than leave the reader guessing
  const since =
    inBrowser && firstWithData > 0 ? ` · samples since ${timeLabel(points[firstWithData]?.at ?? "")}` : "";
  return (
    <Card data-testid="overview-history">
      <Title>Last hour</Title>
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
        <Text className="mt-6">No samples in the last hour yet.</Text>
      )}
    </Card>
  );
}
