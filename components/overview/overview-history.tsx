import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { HISTORY_RANGE_MS, type HistoryRange, OVERVIEW_CHART } from "@/lib/metrics/history-range";
import { getFleetHealthHistory } from "@/lib/metrics/queries/getFleetHealthHistory";
import { getOverviewHistory } from "@/lib/metrics/queries/getOverviewHistory";
import { FleetHealthCharts } from "./fleet-health-charts";
import { HistoryChart } from "./history-chart";
import { HistoryRangeLinks } from "./history-range";
import { fleetHistoryPoints, HISTORY_SERIES } from "./history-rows";

const STORE_TEXT = { raw: "raw samples", "1m": "1-minute rollups", "1h": "1-hour rollups" } as const;

/** "45 s", "2 min", "1 h": a bucket width for the subtitle. */
function widthText(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/**
 * Server part of the overview's fleet charts over `range` (totals, then the seed's health numbers) (1 h by default): reads PostgreSQL (raw samples, 1-minute
 * or 1-hour rollups by the range), hands plain points to the client chart, with the range switch.
 */
export async function OverviewHistory({ range = "1h" }: { range?: HistoryRange }) {
  let read: [
    Awaited<ReturnType<typeof getOverviewHistory>>,
    Awaited<ReturnType<typeof getFleetHealthHistory>>,
  ];
  try {
    const db = await getDb();
    const rangeMs = HISTORY_RANGE_MS[range];
    read = [
      await getOverviewHistory(db, { rangeMs, ...OVERVIEW_CHART[range] }),
      await getFleetHealthHistory(db, range),
    ];
  } catch (err) {
    // PostgreSQL away: the live part of the page goes on (its line says since when); only the charts wait for it
    log.error({ err }, "overview history: the history store did not answer");
    return (
      <p className="text-sm text-tremor-content" data-testid="history-unavailable">
        Charts unavailable: the history store did not answer. Live numbers above are current.
      </p>
    );
  }
  const [history, health] = read;
  return (
    <div className="space-y-2">
      <div className="flex justify-end">
        <HistoryRangeLinks path="/overview" current={range} />
      </div>
      <HistoryChart
        points={fleetHistoryPoints(history)}
        series={[...HISTORY_SERIES]}
        range={range}
        bucketMs={history.bucketMs}
        subtitle={`Fleet totals, average per ${widthText(history.bucketMs)} (${STORE_TEXT[history.resolution]}); gaps where no node answered`}
      />
      <FleetHealthCharts history={health} />
    </div>
  );
}
