import { createScheduler, type Scheduler } from "@/lib/poller/scheduler";
import type { Db } from "./db";
import { applyRetention, type RetentionReport } from "./retention";
import type { RetentionConfig } from "./retention-config";
import { type RollupReport, rollUp } from "./rollup";

/** How often the maintenance job (rollups, then retention) runs, ms. */
export const MAINTENANCE_INTERVAL_MS = 60_000;
/** A run is aborted after this long, ms (rollups stop between chunks; the next run goes on). */
const MAINTENANCE_TIMEOUT_MS = 50_000;
/** First run within this long after start, ms. */
const MAINTENANCE_START_JITTER_MS = 5_000;

export type MaintenanceReport = { rollups: RollupReport; retention: RetentionReport };

/** One maintenance pass: roll finished buckets up, then apply retention (which never deletes unrolled samples). */
export async function runMaintenance(
  db: Db,
  retention: RetentionConfig,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<MaintenanceReport> {
  const rollups = await rollUp(db, { now: options.now, signal: options.signal });
  const pruned = await applyRetention(db, retention, { now: options.now, signal: options.signal });
  return { rollups, retention: pruned };
}

/** The maintenance job, keyed "maintenance", on the poller's generic scheduler (lib/poller/scheduler.ts). */
export function createMaintenance(options: {
  db: Db;
  retention: RetentionConfig;
  intervalMs?: number;
  onError?: (key: string, err: unknown) => void;
}): Scheduler {
  const { db, retention } = options;
  return createScheduler({
    intervalMs: options.intervalMs ?? MAINTENANCE_INTERVAL_MS,
    timeoutMs: MAINTENANCE_TIMEOUT_MS,
    startJitterMs: MAINTENANCE_START_JITTER_MS,
    loadJobs: async () => [
      {
        key: "maintenance",
        version: "1",
        run: async (signal) => {
          await runMaintenance(db, retention, { signal });
        },
      },
    ],
    onError:
      options.onError ??
      ((key, err) => console.error(`[metrics] ${key}:`, err instanceof Error ? err.message : err)),
  });
}
