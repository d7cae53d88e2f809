import type { Db } from "@/lib/metrics/db";
import { getCanaryRuns } from "@/lib/metrics/queries/getCanaryRuns";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { writeCanaryRun } from "@/lib/metrics/writeCanaryRun";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { LAB_NODE_NAME } from "@/lib/nodes/seed";
import { getNodeSnapshot, publish, putNodeSnapshot } from "@/lib/poller/live";
import { createScheduler, type ScheduledJob, type Scheduler } from "@/lib/poller/scheduler";
import { type CanaryConfig, type CanaryTarget, labCanaryTarget } from "./config";
import { getCanaryState, retainCanaryNodes, setCanaryState } from "./live";
import { runCanary } from "./run";
import type { CanaryResult, CanaryState } from "./schema";
import { nextCanaryState, stateFromStoredRuns } from "./state";

// The canary's schedule: one job per enabled node that has a canary target, every KAMDASH_CANARY_INTERVAL_MS, on
// the one scheduler (lib/poller/scheduler.ts) — its own instance, because a run (seconds) must not hold up the
// node's poll cycle. A node the poller last saw down (or has not polled yet) is skipped: no run, no row.

export type CanarySchedulerOptions = {
  db: Db;
  config: CanaryConfig;
  /** The lab node's target; default from .lab/lab.json (null: none). */
  labTarget?: CanaryTarget | null;
  /** Defaults to lib/canary/run.ts (tests give their own). */
  run?: (target: CanaryTarget, signal: AbortSignal) => Promise<CanaryResult>;
  onError?: (key: string, err: unknown) => void;
  /** First run after random() * startJitterMs; default the interval. */
  startJitterMs?: number;
};

/** The previous state as the stored runs imply it (lib/canary/state.ts); null when the node has none stored. */
async function storedState(db: Db, nodeId: number, intervalMs: number): Promise<CanaryState | null> {
  return stateFromStoredRuns(await getCanaryRuns(db, { nodeId, limit: 100 }), intervalMs);
}

/** Copies the state into the node's live snapshot now, so pages see the run without waiting for a poll cycle. */
function showInSnapshot(node: string, state: CanaryState): void {
  const snapshot = getNodeSnapshot(node);
  if (!snapshot) return;
  putNodeSnapshot({ ...snapshot, canary: state });
  publish();
}

/**
 * The canary schedule (start() / notify() / stopAll()), or null when KAMDASH_CANARY is off. Each run: one
 * CanaryRun row, the node's state in memory and in its snapshot, and a canary_failing / canary_recovered event
 * when the state changes. Errors (database) go to onError; the schedule keeps going.
 */
export function createCanaryScheduler(options: CanarySchedulerOptions): Scheduler | null {
  const { db, config } = options;
  if (!config.enabled) return null;
  const labTarget = options.labTarget === undefined ? labCanaryTarget(config.timeoutMs) : options.labTarget;
  const run = options.run ?? runCanary;

  function jobFor(node: { id: number; name: string }, target: CanaryTarget): ScheduledJob {
    let loaded = false;
    return {
      key: node.name,
      version: `${node.id} ${target.url} ${target.caller.username}`,
      async run(signal) {
        if (getNodeSnapshot(node.name)?.up !== true) return;
        if (!loaded) {
          loaded = true;
          const stored = getCanaryState(node.name) ?? (await storedState(db, node.id, config.intervalMs));
          if (stored) setCanaryState(node.name, stored);
        }
        const result = await run(target, signal);
        const { state, event } = nextCanaryState(getCanaryState(node.name), result, config.intervalMs, node);
        setCanaryState(node.name, state);
        showInSnapshot(node.name, state);
        await writeCanaryRun(db, node.id, result);
        if (event) await writeEvent(db, event);
      },
    };
  }

  return createScheduler({
    intervalMs: config.intervalMs,
    // the run ends itself at timeoutMs and then cleans up (≤ 2 s unregister + 1 s stop)
    timeoutMs: config.timeoutMs + 5_000,
    startJitterMs: options.startJitterMs,
    reloadEveryCycles: 1,
    onError: options.onError,
    loadJobs: async () => {
      const nodes = (await getNodes(db)).filter((n) => n.enabled);
      const jobs: ScheduledJob[] = [];
      for (const node of nodes) {
        const target = config.targets.get(node.name) ?? (node.name === LAB_NODE_NAME ? labTarget : null);
        if (target) jobs.push(jobFor(node, target));
      }
      retainCanaryNodes(new Set(jobs.map((j) => j.key)));
      return jobs;
    },
  });
}
