import { Card, Grid, Metric, Text } from "@tremor/react";
import type { ReactNode } from "react";
import { formatCount } from "@/components/live/fleet-view";
import type { FleetTotals as FleetTotalsData } from "@/lib/poller/snapshot";

type TotalKey = Exclude<keyof FleetTotalsData, "incomplete">;

/** One number with a stable test id and its raw value ("" when unknown), so tests compare numbers, not formatting. */
function Figure({ name, value }: { name: TotalKey; value: number | null }) {
  return (
    <span data-testid={`total-${name}`} data-value={value ?? ""}>
      {formatCount(value)}
    </span>
  );
}

function TotalCard({ label, children, notes }: { label: string; children: ReactNode; notes: string[] }) {
  return (
    <Card className="p-4">
      <Text>{label}</Text>
      <Metric className="mt-1 tabular-nums">{children}</Metric>
      {notes.map((note) => (
        // a plain <p> with Text's colours: Tremor's Text drops data-* attributes
        <p
          key={note}
          className="mt-1 text-xs text-tremor-content dark:text-dark-tremor-content"
          data-testid="total-note"
        >
          {note}
        </p>
      ))}
    </Card>
  );
}

/** Names of the numbers in the field's terms, for "excludes … on nodes where it is not available". */
const names: Partial<Record<string, string>> = {
  ws: "WS",
  wss: "WSS",
  registrations: "registrations",
  dialogsActive: "active dialogs",
  dialogsEarly: "early dialogs",
  rtpengineUp: "RTPEngine up",
  rtpengineTotal: "RTPEngine total",
};

/**
 * Fleet totals exactly as the snapshot states them: they sum only nodes that are up, and a number no up node could
 * give is "—" (never 0); a number some up node could not give says so.
 */
export function FleetTotals({ totals }: { totals: FleetTotalsData }) {
  const down = totals.nodesTotal - totals.nodesUp;
  const downNote = down > 0 ? `excludes ${down} down node${down === 1 ? "" : "s"}` : null;
  const notes = (...keys: TotalKey[]): string[] => {
    const missing = keys.filter((key) => totals.incomplete.includes(key)).map((key) => names[key] ?? key);
    const incomplete =
      missing.length > 0 ? `excludes ${missing.join(" and ")} on nodes where it is not available` : null;
    return [downNote, incomplete].filter((n): n is string => n !== null);
  };
  return (
    <Grid numItemsSm={2} numItemsLg={6} className="gap-4">
      <TotalCard label="WS connections" notes={notes("ws")}>
        <Figure name="ws" value={totals.ws} />
      </TotalCard>
      <TotalCard label="WSS connections" notes={notes("wss")}>
        <Figure name="wss" value={totals.wss} />
      </TotalCard>
      <TotalCard label="Registrations" notes={notes("registrations")}>
        <Figure name="registrations" value={totals.registrations} />
      </TotalCard>
      <TotalCard label="Dialogs active / early" notes={notes("dialogsActive", "dialogsEarly")}>
        <Figure name="dialogsActive" value={totals.dialogsActive} />
        <span className="text-tremor-content"> / </span>
        <Figure name="dialogsEarly" value={totals.dialogsEarly} />
      </TotalCard>
      <TotalCard label="RTPEngine up / total" notes={notes("rtpengineUp", "rtpengineTotal")}>
        <Figure name="rtpengineUp" value={totals.rtpengineUp} />
        <span className="text-tremor-content"> / </span>
        <Figure name="rtpengineTotal" value={totals.rtpengineTotal} />
      </TotalCard>
      <TotalCard label="Nodes up / total" notes={[]}>
        <Figure name="nodesUp" value={totals.nodesUp} />
        <span className="text-tremor-content"> / </span>
        <Figure name="nodesTotal" value={totals.nodesTotal} />
      </TotalCard>
    </Grid>
  );
}
