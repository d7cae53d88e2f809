import { getDb } from "@/lib/db";
import { getOverviewHistory } from "@/lib/metrics/queries/getOverviewHistory";
import { HistoryChart } from "./history-chart";
import { fleetHistoryPoints, HISTORY_SERIES } from "./history-rows";

/** Server part of the last-hour chart: reads PostgreSQL, hands plain points to the client chart. */
export async function OverviewHistory() {
  const history = await getOverviewHistory(await getDb());
  return (
    <HistoryChart
      points={fleetHistoryPoints(history)}
      series={[...HISTORY_SERIES]}
      subtitle={`Fleet totals, average per ${Math.round(history.bucketMs / 1000)} s; gaps where no node answered`}
    />
  );
}
