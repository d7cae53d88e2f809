import { log } from "@/lib/log";
import { createScheduler, type Scheduler } from "@/lib/poller/scheduler";
import type { Db } from "./db";
import { ensurePartitions, type PartitionReport } from "./partitions";
import { applyRetention, type RetentionReport } from "./retention";
import type { RetentionConfig } from "./retention-config";
import { type RollupReport, rollUp } from "./rollup";

/** How often the maintenance job (rollups, then retention) runs, ms. */
export const MAINTENANCE_INTERVAL_MS = 60_000;
/** A run is aborted after this long, ms (rollups stop between chunks; the next run goes on). */
const MAINTENANCE_TIMEOUT_MS = 50_000;
/** First run within this long after start, ms. */
const MAINTENANCE_START_JITTER_MS = 5_000;

export type MaintenanceReport = {
  /** What the partition step did, or why it failed (rollups and retention run anyway: rows then land in the
   * default partitions, and the next pass tries again). */
  partitions: PartitionReport | { error: string };
  rollups: RollupReport;
  retention: RetentionReport;
};

/**
 * One maintenance pass: day partitions for today and the days ahead (and for rows stranded in a default partition),
 * roll finished buckets up, then apply retention (which never drops unrolled samples).
 */
export async function runMaintenance(
  db: Db,
  retention: RetentionConfig,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<MaintenanceReport> {
  const partitions = await ensurePartitions(db, { now: options.now, signal: options.signal }).catch(
    (err: unknown) => {
      log.error({ err }, "maintenance: making day partitions failed");
      return { error: err instanceof Error ? err.message : String(err) };
    },
  );
  const rollups = await rollUp(db, { now: options.now, signal: options.signal });
  const pruned = await applyRetention(db, retention, { now: options.now, signal: options.signal });
  return { partitions, rollups, retention: pruned };
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
    onError: options.onError ?? ((key, err) => log.error({ job: key, err }, `metrics: ${key} failed`)),
  });
}
