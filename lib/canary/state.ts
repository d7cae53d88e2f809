import type { CanaryRunItem } from "@/lib/metrics/queries/getCanaryRuns";
import type { NewEvent } from "@/lib/metrics/writeEvent";
import type { CanaryResult, CanaryState } from "./schema";

// The canary's state per node, derived from consecutive runs, and the one event a change of it produces.
// Events are written on a change only (ok → failing, failing → ok; the first run only when it fails), not per run.

/** The next state after `run`, and the event to write (null when the state did not change). */
export function nextCanaryState(
  previous: CanaryState | null,
  run: CanaryResult,
  intervalMs: number,
  node: { id: number; name: string },
): { state: CanaryState; event: NewEvent | null } {
  const ok = run.outcome === "ok";
  const consecutiveFailures = ok ? 0 : (previous?.consecutiveFailures ?? 0) + 1;
  const state: CanaryState["state"] = ok ? "ok" : "failing";
  const changed = previous === null ? !ok : previous.state !== state;
  const next: CanaryState = {
    state,
    consecutiveFailures,
    since: changed || previous === null ? run.at : previous.since,
    intervalMs,
    last: run,
  };
  if (!changed) return { state: next, event: null };
  const event: NewEvent = ok
    ? {
        nodeId: node.id,
        kind: "canary_recovered",
        severity: "info",
        message: `Canary on ${node.name} calls again: register ${run.registerMs} ms, setup ${run.setupMs} ms`,
        at: new Date(run.at),
        detail: { target: run.target, registerMs: run.registerMs, setupMs: run.setupMs, byeMs: run.byeMs },
      }
    : {
        nodeId: node.id,
        kind: "canary_failing",
        severity: "warning",
        message: `Canary on ${node.name} failing: ${run.outcome}${run.reason ? ` (${run.reason})` : ""}`,
        at: new Date(run.at),
        detail: { target: run.target, outcome: run.outcome, reason: run.reason, sipStatus: run.sipStatus },
      };
  return { state: next, event };
}

/**
 * The state the stored runs (newest first, as getCanaryRuns gives them) imply, so a restart neither repeats a
 * "failing" event nor restarts the count of failed runs (counted back over the rows given). null when there is no
 * run, or the newest has an outcome kamdash does not know.
 */
export function stateFromStoredRuns(runs: readonly CanaryRunItem[], intervalMs: number): CanaryState | null {
  const [last] = runs;
  if (!last || last.outcome === "unknown") return null;
  const { id: _id, ...run } = last;
  const outcome = last.outcome;
  // the runs in a row that ended like the last one (ok, or not ok): their count and the oldest one's time
  const other = runs.findIndex((r) => (r.outcome === "ok") !== (outcome === "ok"));
  const streak = other === -1 ? runs.length : other;
  return {
    state: outcome === "ok" ? "ok" : "failing",
    consecutiveFailures: outcome === "ok" ? 0 : streak,
    since: runs[streak - 1]?.at ?? last.at,
    intervalMs,
    last: { ...run, outcome },
  };
}
