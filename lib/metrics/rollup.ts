import type { Db } from "./db";
import { getRetentionHorizons } from "./queries/getRetentionHorizons";
import { ROLLUP_TABLES, type RollupResolution, type RollupTable } from "./rollup-columns";
import { rollupBranchesSql, rollupHandshakesSql, rollupSamplesSql } from "./rollup-sql";

// The rollup job: turns raw samples into 1-minute and 1-hour buckets (both straight from raw samples, so each
// average is exact). It only computes finished buckets and goes on from the last one it wrote, so a run with nothing
// new does nothing; every statement is an upsert, so recomputing a range (rebuildFrom) writes the same rows.
// Samples are written as they are measured, so they never land behind that point (beyond ROLLUP_SETTLE_MS).
// Handshake attempts (written with their cycle's sample) fill the handshake columns of the same buckets.

/** A bucket counts as finished this long after its end, ms: a cycle's sample is written just after its polledAt. */
export const ROLLUP_SETTLE_MS = 15_000;
/** Span of raw samples one pair of statements rolls up, ms: bounds each transaction while catching up. */
export const ROLLUP_CHUNK_MS = 6 * 60 * 60 * 1000;
const DEFAULT_BUDGET_MS = 20_000;

export type RollupOptions = {
  now?: Date;
  /** Recompute from this time (clamped to what raw retention kept) instead of going on from the last bucket. */
  rebuildFrom?: Date;
  /** Stop starting new chunks after this long, ms (the next run goes on); default 20 s. */
  budgetMs?: number;
  signal?: AbortSignal;
};

export type RollupProgress = {
  /** Span of raw samples rolled up in this run, [from, until) ISO (bucket-aligned); null when nothing was due. */
  from: string | null;
  until: string | null;
  chunks: number;
};

export type RollupReport = Record<RollupResolution, RollupProgress>;

const floorTo = (ms: number, widthMs: number) => Math.floor(ms / widthMs) * widthMs;
const ceilTo = (ms: number, widthMs: number) => Math.ceil(ms / widthMs) * widthMs;

/** Rolls finished buckets up into rollup_1m/branch_rollup_1m, then rollup_1h/branch_rollup_1h. */
export async function rollUp(db: Db, options: RollupOptions = {}): Promise<RollupReport> {
  const now = options.now ?? new Date();
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  const rawHorizon = options.rebuildFrom ? (await getRetentionHorizons(db)).raw : undefined;
  const report = {} as RollupReport;
  for (const table of Object.values(ROLLUP_TABLES)) {
    report[table.resolution] = await rollUpTable(db, table, { ...options, now, deadline, rawHorizon });
  }
  return report;
}

/** End of the last bucket the table holds (ms), or null when it is empty. */
export async function rolledUpUntil(db: Db, table: RollupTable): Promise<number | null> {
  const rows = await db.$queryRawUnsafe<{ last: Date | null }[]>(
    `SELECT max(bucket) AS last FROM ${table.samples}`,
  );
  const last = rows[0]?.last;
  return last ? new Date(last).getTime() + table.widthS * 1000 : null;
}

async function firstSampleAt(db: Db, atOrAfter: Date): Promise<number | null> {
  const rows = await db.$queryRaw<
    { at: Date | null }[]
  >`SELECT min(at) AS at FROM sample WHERE at >= ${atOrAfter}`;
  const at = rows[0]?.at;
  return at ? new Date(at).getTime() : null;
}

async function rollUpTable(
  db: Db,
  table: RollupTable,
  run: RollupOptions & { now: Date; deadline: number; rawHorizon: Date | undefined },
): Promise<RollupProgress> {
  const widthMs = table.widthS * 1000;
  const end = floorTo(run.now.getTime() - ROLLUP_SETTLE_MS, widthMs);
  let start: number;
  if (run.rebuildFrom) {
    // a bucket whose raw samples retention already deleted (even in part) keeps the rows it has
    const kept = run.rawHorizon ? ceilTo(run.rawHorizon.getTime(), widthMs) : 0;
    start = Math.max(floorTo(run.rebuildFrom.getTime(), widthMs), kept);
  } else {
    start = (await rolledUpUntil(db, table)) ?? 0;
  }
  const progress: RollupProgress = { from: null, until: null, chunks: 0 };
  while (start < end) {
    if (run.signal?.aborted || (progress.chunks > 0 && Date.now() > run.deadline)) break;
    // skip stretches without samples (kamdash stopped) in one step
    const next = await firstSampleAt(db, new Date(start));
    if (next === null) break;
    const from = Math.max(start, floorTo(next, widthMs));
    if (from >= end) break;
    const to = Math.min(end, from + ROLLUP_CHUNK_MS);
    await db.$transaction([
      db.$executeRaw(rollupSamplesSql(table, new Date(from), new Date(to))),
      db.$executeRaw(rollupBranchesSql(table, new Date(from), new Date(to))),
      db.$executeRaw(rollupHandshakesSql(table, new Date(from), new Date(to))),
    ]);
    progress.from ??= new Date(from).toISOString();
    progress.until = new Date(to).toISOString();
    progress.chunks += 1;
    start = to;
  }
  return progress;
}
