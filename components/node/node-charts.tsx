"use client";

import { AreaChart, BarChart, Card, LineChart, Text, Title } from "@tremor/react";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { HISTORY_RANGE_MS } from "@/lib/metrics/history-range";
import type { NodeHistory } from "@/lib/metrics/queries/getNodeHistory";
import {
  chartRows,
  type DownSpan,
  downSpans,
  resolutionText,
  timeLabel,
  tooFewBuckets,
} from "./history-rows";

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const formatNumber = (value: number) => number.format(value);

/** A strip under a chart: red where the node was down ("node down"), aligned to the chart's buckets. */
function DownStrip({ spans, buckets }: { spans: DownSpan[]; buckets: number }) {
  if (spans.length === 0) return null;
  return (
    <div className="relative mt-1 ml-14 h-4" data-testid="node-down-strip">
      {spans.map((s) => (
        <div
          key={s.from}
          className="absolute top-0 h-4 rounded-sm bg-red-500/70 text-[10px] leading-4 text-white overflow-hidden"
          style={{
            left: `${(s.fromIndex / buckets) * 100}%`,
            width: `${((s.toIndex - s.fromIndex + 1) / buckets) * 100}%`,
          }}
          title={`node down ${new Date(s.from).toLocaleString()} – ${new Date(s.to).toLocaleString()}`}
        >
          node down
        </div>
      ))}
    </div>
  );
}

function ChartCard(props: {
  id: string;
  title: string;
  note: string;
  resolution: string;
  children: ReactNode;
}) {
  return (
    <Card data-testid={`node-chart-${props.id}`}>
      <Title>{props.title}</Title>
      <Text>
        {props.note} · {props.resolution}
      </Text>
      {props.children}
    </Card>
  );
}

/**
 * The node page's charts over the chosen range: connections, registrations, dialogs, branch-failure rate (with the
 * 1 % limit), handshake latency (with the 500 ms limit) beside Kamailio's websocket handshake counters, RTPEngine
 * sessions against answered calls. Null buckets are gaps (connectNulls off); a red strip marks "node down".
 * Drawn in the browser only (local-time labels); new props replace the old charts without blanking them.
 */
export function NodeCharts({ history }: { history: NodeHistory }) {
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const rangeMs = HISTORY_RANGE_MS[history.range];
  const rows = useMemo(
    () => chartRows(history, (iso) => (inBrowser ? timeLabel(iso, history.bucketMs, rangeMs) : iso)),
    [history, inBrowser, rangeMs],
  );
  const spans = useMemo(() => downSpans(history.points, history.bucketMs), [history]);
  const resolution = resolutionText(history);
  const tooFew = tooFewBuckets(history);
  const strip = <DownStrip spans={spans} buckets={history.points.length} />;
  const common = {
    data: rows,
    index: "time",
    connectNulls: false,
    showAnimation: false,
    yAxisWidth: 56,
    valueFormatter: formatNumber,
    className: "mt-4 h-56",
  } as const;
  const percentiles = history.handshakePercentilesExact
    ? "nearest-rank over the ok attempts"
    : "p95: highest stored p95 in each bucket, p50: mean of stored p50s";
  return (
    <div
      className="grid grid-cols-1 gap-4 xl:grid-cols-2"
      data-testid="node-charts"
      data-range={history.range}
      data-resolution={history.resolution}
      data-down-spans={spans.length}
      data-up-buckets={history.points.filter((p) => p.up === true).length}
    >
      <ChartCard id="connections" title="Connections" note="WS and WSS, average" resolution={resolution}>
        <AreaChart {...common} categories={["WS", "WSS"]} colors={["blue", "violet"]} allowDecimals={false} />
        {strip}
      </ChartCard>
      <ChartCard
        id="registrations"
        title="Registrations"
        note="contacts, and sockets without one"
        resolution={resolution}
      >
        <AreaChart
          {...common}
          categories={["Registrations", "Sockets without registration"]}
          colors={["emerald", "amber"]}
        />
        {strip}
      </ChartCard>
      <ChartCard
        id="dialogs"
        title="Dialogs"
        note="active and early (ringing), average"
        resolution={resolution}
      >
        <AreaChart {...common} categories={["Active dialogs", "Early dialogs"]} colors={["amber", "slate"]} />
        {strip}
      </ChartCard>
      <ChartCard
        id="branch-failure"
        title="Branch-failure rate"
        note={`failed ÷ relayed branches, %; the red line is the seed's 1 % limit${tooFew > 0 ? `; ${tooFew} buckets with too few branches to judge (gaps)` : ""}`}
        resolution={resolution}
      >
        <LineChart
          {...common}
          categories={["Failure rate %", "1 % limit"]}
          colors={["orange", "red"]}
          valueFormatter={(v: number) => `${number.format(v)} %`}
        />
        {strip}
      </ChartCard>
      <ChartCard
        id="handshake"
        title="Handshake latency"
        note={`p50 / p95 / max, ms (${percentiles}); the red line is the 500 ms limit`}
        resolution={resolution}
      >
        <LineChart
          {...common}
          categories={["p50", "p95", "max", "500 ms limit"]}
          colors={["cyan", "blue", "violet", "red"]}
          valueFormatter={(v: number) => `${number.format(v)} ms`}
        />
        {strip}
      </ChartCard>
      <ChartCard
        id="ws-handshakes"
        title="WebSocket handshakes"
        note="Kamailio's own counters (ok / failed) and the probe's failed attempts, per bucket"
        resolution={resolution}
      >
        <BarChart
          {...common}
          categories={["Kamailio handshakes ok", "Kamailio handshakes failed", "Probe failures"]}
          colors={["emerald", "red", "orange"]}
          allowDecimals={false}
        />
        {strip}
      </ChartCard>
      <ChartCard
        id="sessions"
        title="RTPEngine sessions vs calls"
        note="own sessions (NG statistics) against answered dialogs, average"
        resolution={resolution}
      >
        <LineChart
          {...common}
          categories={["RTPEngine sessions", "Answered calls"]}
          colors={["indigo", "emerald"]}
        />
        {strip}
      </ChartCard>
    </div>
  );
}
