import type { Db } from "./db";
import { dropPartitionsBefore, type PartitionedTable } from "./partitions";
import type { RetentionConfig } from "./retention-config";
import { type Resolution, ROLLUP_TABLES } from "./rollup-columns";

// The retention job: deletes raw samples, 1-minute and 1-hour rollups older than their setting
// (lib/metrics/retention-config.ts) and records each cut in retention_horizon, so queries know from when on a store
// is complete. Handshake attempts go with the raw samples; canary runs and events (one per connection, registration
// and dialog change since #8) with the 1-minute rollups. sample, branch_sample and event are partitioned by day
// (lib/metrics/partitions.ts): their old days are dropped whole, only rows in the default partition are deleted. Raw samples are never deleted past what both rollups have read: while the rollup job catches up
// (after an upgrade, or kamdash being stopped), raw samples wait for it.

/** Largest span deleted by one statement, ms (a long backlog goes in several short transactions). */
const DELETE_CHUNK_MS = 6 * 60 * 60 * 1000;

export type RetentionReport = Record<Resolution, { cutoff: string | null; deleted: number }>;

type Store = { table: string; column: string } | { partitioned: PartitionedTable };

// fixed whitelist: only these names reach SQL text; branch_sample days go with their samples' days
const STORES: Record<Resolution, Store[]> = {
  raw: [
    { partitioned: "sample" },
    { partitioned: "branch_sample" },
    { table: "handshake_attempt", column: "at" },
  ],
  "1m": [
    { table: ROLLUP_TABLES["1m"].samples, column: "bucket" },
    { table: ROLLUP_TABLES["1m"].branches, column: "bucket" },
    { table: "canary_run", column: "at" },
    { partitioned: "event" },
  ],
  "1h": [
    { table: ROLLUP_TABLES["1h"].samples, column: "bucket" },
    { table: ROLLUP_TABLES["1h"].branches, column: "bucket" },
  ],
};

/** Applies the retention settings as of `now`; returns per store the cutoff used and the rows deleted. */
export async function applyRetention(
  db: Db,
  config: RetentionConfig,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<RetentionReport> {
  const now = (options.now ?? new Date()).getTime();
  // start of the newest bucket of each rollup: its samples (and the one before, for the first delta) stay
  const rows = await db.$queryRaw<{ m: Date | null; h: Date | null }[]>`
    SELECT (SELECT max(bucket) FROM rollup_1m) AS m, (SELECT max(bucket) FROM rollup_1h) AS h`;
  const lastMinute = rows[0]?.m;
  const lastHour = rows[0]?.h;
  const rawCutoff =
    lastMinute && lastHour
      ? Math.min(now - config.rawMs, new Date(lastMinute).getTime(), new Date(lastHour).getTime())
      : null;
  const cutoffs: Record<Resolution, number | null> = {
    raw: rawCutoff,
    "1m": now - config.oneMinuteMs,
    "1h": now - config.oneHourMs,
  };
  const report = {} as RetentionReport;
  for (const resolution of ["raw", "1m", "1h"] as const) {
    const cutoff = cutoffs[resolution];
    let deleted = 0;
    if (cutoff !== null) {
      for (const store of STORES[resolution]) {
        if ("partitioned" in store) {
          // branch rows were counted with their sample before (cascade): the report keeps counting samples only
          const { removed } = await dropPartitionsBefore(db, store.partitioned, cutoff);
          if (store.partitioned !== "branch_sample") deleted += removed;
        } else deleted += await deleteBefore(db, store, cutoff, options.signal);
      }
      await db.$executeRaw`
        INSERT INTO retention_horizon (store, kept_from) VALUES (${resolution}, ${new Date(cutoff)})
        ON CONFLICT (store) DO UPDATE SET kept_from = GREATEST(retention_horizon.kept_from, EXCLUDED.kept_from)`;
    }
    report[resolution] = { cutoff: cutoff === null ? null : new Date(cutoff).toISOString(), deleted };
  }
  return report;
}

async function deleteBefore(
  db: Db,
  store: { table: string; column: string },
  cutoff: number,
  signal?: AbortSignal,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    if (signal?.aborted) return deleted;
    const rows = await db.$queryRawUnsafe<{ oldest: Date | null }[]>(
      `SELECT min(${store.column}) AS oldest FROM ${store.table}`,
    );
    const oldest = rows[0]?.oldest ? new Date(rows[0].oldest).getTime() : null;
    if (oldest === null || oldest >= cutoff) return deleted;
    const upTo = new Date(Math.min(cutoff, oldest + DELETE_CHUNK_MS));
    deleted += await db.$executeRawUnsafe(`DELETE FROM ${store.table} WHERE ${store.column} < $1`, upTo);
  }
}
