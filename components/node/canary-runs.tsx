import {
  Badge,
  Card,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from "@tremor/react";
import { formatAge } from "@/components/live/fleet-view";
import type { CanaryRunItem } from "@/lib/metrics/queries/getCanaryRuns";

// The node page's synthetic canary: its newest runs (lib/metrics/queries/getCanaryRuns.ts), each with its age,
// outcome and reason, REGISTER/INVITE/BYE times and the SDP checks that failed. No hooks: usable from a Server
// Component (give it the query's result) or inside a client one. Reasons and targets are SIP text: rendered as text.

const ms = (value: number | null) => (value === null ? "—" : `${Math.round(value)} ms`);

/** "18/18 ok", or the failed checks by leg ("answer ice, answer fingerprint"); "—" when the call was not set up. */
export function sdpSummary(run: Pick<CanaryRunItem, "sdpChecks">): string {
  const checks = run.sdpChecks?.checks;
  if (!checks || checks.length === 0) return "—";
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0) return `${checks.length}/${checks.length} ok`;
  return failed.map((c) => `${c.leg === "offer_to_callee" ? "offer" : "answer"} ${c.name}`).join(", ");
}

export function CanaryRuns({
  runs,
  now = new Date(),
  intervalMs = null,
}: {
  /** getCanaryRuns' result, newest first. */
  runs: readonly CanaryRunItem[];
  /** The time ages are measured from (the render time by default). */
  now?: Date;
  /** KAMDASH_CANARY_INTERVAL_MS when known: a last run older than 3 intervals is marked stale. */
  intervalMs?: number | null;
}) {
  const [last] = runs;
  const lastAgeMs = last ? now.getTime() - Date.parse(last.at) : null;
  const stale = intervalMs !== null && lastAgeMs !== null && lastAgeMs > 3 * intervalMs;
  return (
    <Card data-testid="canary-runs">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Title>Synthetic canary</Title>
        <Text data-testid="canary-last" data-stale={stale ? "true" : "false"}>
          {last ? `last run ${formatAge(lastAgeMs)} ago${stale ? " · stale" : ""}` : "no run stored"}
        </Text>
      </div>
      {runs.length === 0 ? (
        <Text className="mt-2">
          No canary run for this node: the canary is off (KAMDASH_CANARY), the node has no canary target, or
          it has been down since the canary was turned on.
        </Text>
      ) : (
        <Table className="mt-2">
          <TableHead>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Register</TableHeaderCell>
              <TableHeaderCell>Setup</TableHeaderCell>
              <TableHeaderCell>BYE</TableHeaderCell>
              <TableHeaderCell>SIP</TableHeaderCell>
              <TableHeaderCell>SDP checks</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.map((run) => (
              <TableRow key={run.id} data-testid="canary-run" data-outcome={run.outcome}>
                <TableCell className="whitespace-nowrap" title={run.at}>
                  {`${formatAge(now.getTime() - Date.parse(run.at))} ago`}
                </TableCell>
                <TableCell>
                  <Badge color={run.outcome === "ok" ? "emerald" : "red"}>{run.outcome}</Badge>
                  {run.reason ? <Text className="mt-1">{run.reason}</Text> : null}
                </TableCell>
                <TableCell className="tabular-nums">{ms(run.registerMs)}</TableCell>
                <TableCell className="tabular-nums">{ms(run.setupMs)}</TableCell>
                <TableCell className="tabular-nums">{ms(run.byeMs)}</TableCell>
                <TableCell className="tabular-nums">{run.sipStatus ?? "—"}</TableCell>
                <TableCell title={run.sdpChecks?.direction}>{sdpSummary(run)}</TableCell>
                <TableCell className="max-w-48 truncate" title={run.target}>
                  {run.target}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
