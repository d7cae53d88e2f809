import type { Db } from "./db";

// Day partitions of the history that grows with every poll cycle (migration 20261201031014_partition_history):
// sample and branch_sample (raw retention) and event (1-minute retention) are PARTITION BY RANGE on their time
// column, one partition per UTC day named <table>_p<YYYYMMDD>, plus <table>_default for rows no day partition
// covers (a write never fails for want of a partition). The maintenance job (lib/metrics/maintenance.ts, the one
// scheduler) keeps PARTITION_DAYS_AHEAD days ready, moves rows that landed in a default partition into their day's
// partition, and retention (lib/metrics/retention.ts) drops whole days instead of deleting rows.

export const DAY_MS = 86_400_000;
/** Day partitions kept ready after today (UTC). */
export const PARTITION_DAYS_AHEAD = 3;

/** The partitioned tables and their partition key column (a fixed whitelist: only these names reach SQL text). */
export const PARTITIONED_TABLES = { sample: "at", branch_sample: "sample_at", event: "at" } as const;
export type PartitionedTable = keyof typeof PARTITIONED_TABLES;

/** Lock key that serialises partition changes between kamdash processes on one database. */
const PARTITION_LOCK_KEY = 72707370;

/** Start of the UTC day holding `ms`, ms since the epoch. */
export const dayStartMs = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** `<table>_p<YYYYMMDD>` for the UTC day starting at `dayMs`. */
export function partitionName(table: PartitionedTable, dayMs: number): string {
  return `${table}_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

export const defaultPartitionName = (table: PartitionedTable): string => `${table}_default`;

export type DayPartition = { name: string; fromMs: number; toMs: number };

/** The table's day partitions (by their names), oldest first; the default partition is not listed. */
export async function listDayPartitions(db: Db, table: PartitionedTable): Promise<DayPartition[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
    WHERE p.relname = ${table} AND n.nspname = current_schema()`;
  const pattern = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`);
  return rows
    .flatMap(({ name }) => {
      const m = pattern.exec(name);
      if (!m) return [];
      const fromMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return [{ name, fromMs, toMs: fromMs + DAY_MS }];
    })
    .sort((a, b) => a.fromMs - b.fromMs);
}

/**
 * Makes the day partition of `table` for the UTC day starting at `dayMs`, moving that day's rows out of the default
 * partition into it, in one transaction: CREATE TABLE … (LIKE), move, ATTACH PARTITION (which builds the parent's
 * indexes and foreign keys on it). Returns the rows moved, or null when the partition was there already.
 */
export async function createDayPartition(
  db: Db,
  table: PartitionedTable,
  dayMs: number,
): Promise<number | null> {
  const column = PARTITIONED_TABLES[table];
  const name = partitionName(table, dayMs);
  const from = new Date(dayMs).toISOString();
  const to = new Date(dayMs + DAY_MS).toISOString();
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PARTITION_LOCK_KEY})`;
    const exists = await tx.$queryRaw<{ r: string | null }[]>`SELECT to_regclass(${name})::text AS r`;
    if (exists[0]?.r) return null;
    await tx.$executeRawUnsafe(`CREATE TABLE "${name}" (LIKE "${table}" INCLUDING DEFAULTS)`);
    const moved = await tx.$executeRawUnsafe(
      `WITH moved AS (DELETE FROM "${defaultPartitionName(table)}" WHERE "${column}" >= $1 AND "${column}" < $2
         RETURNING *)
       INSERT INTO "${name}" SELECT * FROM moved`,
      new Date(from),
      new Date(to),
    );
    await tx.$executeRawUnsafe(
      `ALTER TABLE "${table}" ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    return moved;
  });
}

export type PartitionReport = Record<PartitionedTable, { created: string[]; movedFromDefault: number }>;

/**
 * For each partitioned table: a partition for every day that has rows in the default partition (the rows move
 * there), and for today to PARTITION_DAYS_AHEAD days after `now` (UTC).
 */
export async function ensurePartitions(
  db: Db,
  options: { now?: Date; daysAhead?: number; signal?: AbortSignal } = {},
): Promise<PartitionReport> {
  const today = dayStartMs((options.now ?? new Date()).getTime());
  const ahead = options.daysAhead ?? PARTITION_DAYS_AHEAD;
  const report = {} as PartitionReport;
  for (const table of Object.keys(PARTITIONED_TABLES) as PartitionedTable[]) {
    const column = PARTITIONED_TABLES[table];
    const stranded = await db.$queryRawUnsafe<{ day: number }[]>(
      `SELECT DISTINCT floor(extract(epoch FROM "${column}") / 86400)::float8 AS day
       FROM "${defaultPartitionName(table)}"`,
    );
    const days = new Set(stranded.map((row) => Number(row.day) * DAY_MS));
    for (let i = 0; i <= ahead; i++) days.add(today + i * DAY_MS);
    const existing = new Set((await listDayPartitions(db, table)).map((p) => p.fromMs));
    const entry = { created: [] as string[], movedFromDefault: 0 };
    for (const day of [...days].sort((a, b) => a - b)) {
      if (options.signal?.aborted) break;
      if (existing.has(day)) continue;
      const moved = await createDayPartition(db, table, day);
      if (moved === null) continue;
      entry.created.push(partitionName(table, day));
      entry.movedFromDefault += moved;
    }
    report[table] = entry;
  }
  return report;
}

/**
 * Drops every day partition of `table` that ends at or before `cutoffMs` (DROP TABLE: no row-by-row delete, no
 * vacuum), then deletes the default partition's rows older than the cutoff. Returns the rows removed (a dropped
 * partition's rows are counted first) and the partitions dropped.
 */
export async function dropPartitionsBefore(
  db: Db,
  table: PartitionedTable,
  cutoffMs: number,
): Promise<{ removed: number; dropped: string[] }> {
  const column = PARTITIONED_TABLES[table];
  let removed = 0;
  const dropped: string[] = [];
  for (const partition of await listDayPartitions(db, table)) {
    if (partition.toMs > cutoffMs) break;
    const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${partition.name}"`);
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${partition.name}"`);
    removed += Number(rows[0]?.n ?? 0);
    dropped.push(partition.name);
  }
  removed += await db.$executeRawUnsafe(
    `DELETE FROM "${defaultPartitionName(table)}" WHERE "${column}" < $1`,
    new Date(cutoffMs),
  );
  return { removed, dropped };
}
