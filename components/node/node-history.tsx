import { HistoryRangeLinks } from "@/components/overview/history-range";
import { getDb } from "@/lib/db";
import type { HistoryRange } from "@/lib/metrics/history-range";
import { getNodeHistory } from "@/lib/metrics/queries/getNodeHistory";
import { resolutionText } from "./history-rows";
import { NodeCharts } from "./node-charts";

/** Server part of the node page's charts: reads the node's history from PostgreSQL for the chosen range. */
export async function NodeHistorySection({ name, range }: { name: string; range: HistoryRange }) {
  const history = await getNodeHistory(await getDb(), name, range);
  if (!history) return null;
  return (
    <section className="space-y-3" data-testid="node-history">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-tremor-title font-semibold text-tremor-content-strong">
          History · {range}{" "}
          <span className="text-tremor-default font-normal text-tremor-content">
            ({resolutionText(history)})
          </span>
        </h2>
        <HistoryRangeLinks path={`/nodes/${encodeURIComponent(name)}`} current={range} />
      </div>
      <NodeCharts history={history} />
    </section>
  );
}
