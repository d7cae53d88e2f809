"use client";

import { AreaChart, Card, Text, Title } from "@tremor/react";
import { useMemo } from "react";
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
  const rows = useMemo(
    () => points.map(({ at, ...values }) => ({ time: timeLabel(at), ...values })),
    [points],
  );
  const hasData = points.some((p) => series.some((s) => p[s as keyof HistoryPoint] !== null));
  return (
    <Card data-testid="overview-history">
      <Title>Last hour</Title>
      <Text>{subtitle}</Text>
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
        />
      ) : (
        <Text className="mt-6">No samples in the last hour yet.</Text>
      )}
    </Card>
  );
}
