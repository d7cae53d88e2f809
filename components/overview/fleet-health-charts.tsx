"use client";

import { Card, LineChart, Text, Title } from "@tremor/react";
import { useEffect, useMemo, useState } from "react";
import { timeLabel } from "@/components/node/history-rows";
import { HISTORY_RANGE_MS } from "@/lib/metrics/history-range";
import type { FleetHealthHistory } from "@/lib/metrics/queries/getFleetHealthHistory";

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const round = (v: number | null, digits: number) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * The overview's charts of the seed's numbers over the fleet: branch-failure rate (with the 1 % limit), the highest
 * handshake p95 (with the 500 ms limit), RTPEngine sessions against answered calls. Null buckets are gaps.
 */
export function FleetHealthCharts({ history }: { history: FleetHealthHistory }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const rangeMs = HISTORY_RANGE_MS[history.range];
  const rows = useMemo(
    () =>
      history.points.map((p) => ({
        time: inBrowser ? timeLabel(p.at, history.bucketMs, rangeMs) : p.at,
        "Failure rate %": p.branchFailureRate === null ? null : round(p.branchFailureRate * 100, 3),
        "1 % limit": 1,
        "p95 (highest node)": round(p.handshakeP95MaxMs, 1),
        "500 ms limit": 500,
        "RTPEngine sessions": round(p.rtpengineSessions, 1),
        "Answered calls": round(p.callsAnswered, 1),
      })),
    [history, inBrowser, rangeMs],
  );
  const width =
    history.bucketMs >= 3_600_000 ? `${history.bucketMs / 3_600_000} h` : `${history.bucketMs / 60_000} min`;
  const source = `${history.store === "1m" ? "1-minute" : "1-hour"} rollups, per ${width}; gaps where nothing was measured`;
  const common = {
    data: rows,
    index: "time",
    connectNulls: false,
    showAnimation: false,
    yAxisWidth: 56,
    className: "mt-4 h-48",
  } as const;
  return (
    <div
      className="grid grid-cols-1 gap-4 xl:grid-cols-3"
      data-testid="fleet-health-charts"
      data-range={history.range}
    >
      <Card data-testid="fleet-chart-branch-failure">
        <Title>Branch-failure rate</Title>
        <Text>fleet failed ÷ relayed, % (buckets under 20 branches are gaps) · {source}</Text>
        <LineChart
          {...common}
          categories={["Failure rate %", "1 % limit"]}
          colors={["orange", "red"]}
          valueFormatter={(v: number) => `${number.format(v)} %`}
        />
      </Card>
      <Card data-testid="fleet-chart-handshake">
        <Title>Handshake p95</Title>
        <Text>highest p95 of any node, ms · {source}</Text>
        <LineChart
          {...common}
          categories={["p95 (highest node)", "500 ms limit"]}
          colors={["blue", "red"]}
          valueFormatter={(v: number) => `${number.format(v)} ms`}
        />
      </Card>
      <Card data-testid="fleet-chart-sessions">
        <Title>RTPEngine sessions vs calls</Title>
        <Text>summed over nodes that knew both, average · {source}</Text>
        <LineChart
          {...common}
          categories={["RTPEngine sessions", "Answered calls"]}
          colors={["indigo", "emerald"]}
          valueFormatter={(v: number) => number.format(v)}
        />
      </Card>
    </div>
  );
}
