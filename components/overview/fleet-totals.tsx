import { Card, Grid, Metric, Text } from "@tremor/react";
import type { ReactNode } from "react";
import { formatCount } from "@/components/live/fleet-view";
import type { FleetTotals as FleetTotalsData } from "@/lib/poller/snapshot";

/** One number with a stable test id and its raw value, so tests compare numbers, not formatting. */
function Figure({ name, value }: { name: keyof FleetTotalsData; value: number }) {
  return (
    <span data-testid={`total-${name}`} data-value={value}>
      {formatCount(value)}
    </span>
  );
}

function TotalCard({ label, children, note }: { label: string; children: ReactNode; note?: string }) {
  return (
    <Card className="p-4">
      <Text>{label}</Text>
      <Metric className="mt-1 tabular-nums">{children}</Metric>
      {note ? <Text className="mt-1 text-xs">{note}</Text> : null}
    </Card>
  );
}

/** Fleet totals exactly as the snapshot states them (they sum only nodes that are up). */
export function FleetTotals({ totals }: { totals: FleetTotalsData }) {
  const down = totals.nodesTotal - totals.nodesUp;
  const note = down > 0 ? `excludes ${down} down node${down === 1 ? "" : "s"}` : undefined;
  return (
    <Grid numItemsSm={2} numItemsLg={6} className="gap-4">
      <TotalCard label="WS connections" note={note}>
        <Figure name="ws" value={totals.ws} />
      </TotalCard>
      <TotalCard label="WSS connections" note={note}>
        <Figure name="wss" value={totals.wss} />
      </TotalCard>
      <TotalCard label="Registrations" note={note}>
        <Figure name="registrations" value={totals.registrations} />
      </TotalCard>
      <TotalCard label="Dialogs active / early" note={note}>
        <Figure name="dialogsActive" value={totals.dialogsActive} />
        <span className="text-tremor-content"> / </span>
        <Figure name="dialogsEarly" value={totals.dialogsEarly} />
      </TotalCard>
      <TotalCard label="RTPEngine up / total" note={note}>
        <Figure name="rtpengineUp" value={totals.rtpengineUp} />
        <span className="text-tremor-content"> / </span>
        <Figure name="rtpengineTotal" value={totals.rtpengineTotal} />
      </TotalCard>
      <TotalCard label="Nodes up / total">
        <Figure name="nodesUp" value={totals.nodesUp} />
        <span className="text-tremor-content"> / </span>
        <Figure name="nodesTotal" value={totals.nodesTotal} />
      </TotalCard>
    </Grid>
  );
}
