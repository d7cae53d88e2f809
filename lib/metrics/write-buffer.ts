import { z } from "zod";
import type { Db } from "./db";
import type { HistoryStoreStatus } from "./history-store-status";
import { writeEvent } from "./writeEvent";

// The poller's writes to the history store, in order, through a bounded in-memory queue: while PostgreSQL does
// not answer (stopped, restarting, network), rows wait here and go out in their order once it answers again; the
// live snapshot never waits for them. Each queued write is one statement or one transaction, so a retry after a
// failure never leaves half a row behind. Beyond KAMDASH_WRITE_BUFFER_MAX samples the oldest samples are dropped
// (other rows have their own bound of the same size), and a `history_buffer_dropped` event says how many and
// which cycle times, as soon as it can be written.

export const DEFAULT_WRITE_BUFFER_MAX = 10_000;

const writeBufferEnvSchema = z.object({
  KAMDASH_WRITE_BUFFER_MAX: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z
      .string()
      .trim()
      .regex(/^\d+$/, "KAMDASH_WRITE_BUFFER_MAX must be a whole number of samples")
      .transform(Number)
      .pipe(z.number().int().min(1, "KAMDASH_WRITE_BUFFER_MAX must be at least 1").max(10_000_000))
      .optional(),
  ),
});

/** KAMDASH_WRITE_BUFFER_MAX (samples; default 10,000: 5.5 h of 1 node polled every 2 s, 8 min of 20 nodes at 1 s). */
export function readWriteBufferMax(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const parsed = writeBufferEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(parsed.error.issues[0]?.message ?? "KAMDASH_WRITE_BUFFER_MAX is invalid");
  return parsed.data.KAMDASH_WRITE_BUFFER_MAX ?? DEFAULT_WRITE_BUFFER_MAX;
}

/** One queued write: a sample (bounded by `max`) or another row (event, handshake attempt), with its time. */
export type PendingWrite = { kind: "sample" | "row"; at: Date; write: (db: Db) => Promise<unknown> };

export interface WriteBuffer {
  /** Queues `entry` behind the others, dropping the oldest of its kind beyond the bound. */
  add(entry: PendingWrite): void;
  /**
   * Writes what waits, oldest first, until the queue is empty or the database does not answer. A write that fails
   * while the database answers (the row itself is refused) is dropped and reported through onRowError. With
   * `waitMs`, resolves after at most that long and the rest goes on in the background (a backlog of thousands of
   * rows after an outage must not hold up the poll cycle that found the database back).
   */
  flush(options?: { waitMs?: number }): Promise<void>;
  status(): HistoryStoreStatus;
  /** True while the last write attempt found the database unreachable. */
  unavailable(): boolean;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";

export function createWriteBuffer(options: {
  db: Db;
  max: number;
  /** Called when the store becomes unavailable or answers again, and when a row is dropped (to publish the fleet). */
  onStatus?: (status: HistoryStoreStatus) => void;
  onRowError?: (err: unknown) => void;
  now?: () => Date;
}): WriteBuffer {
  const { db, max } = options;
  const now = options.now ?? (() => new Date());
  const queue: PendingWrite[] = [];
  const counts = { sample: 0, row: 0 };
  let unavailableSince: Date | null = null;
  let lastError: string | null = null;
  const dropped = { samples: 0, rows: 0, from: null as Date | null, to: null as Date | null };
  let flushing: Promise<void> | null = null;

  const status = (): HistoryStoreStatus => ({
    state: unavailableSince ? "unavailable" : "ok",
    unavailableSince: unavailableSince?.toISOString() ?? null,
    lastError,
    bufferedSamples: counts.sample,
    bufferedRows: counts.row,
    bufferMax: max,
    droppedSamples: dropped.samples,
    droppedFrom: dropped.from?.toISOString() ?? null,
    droppedTo: dropped.to?.toISOString() ?? null,
  });
  const changed = () => options.onStatus?.(status());

  function dropOldest(kind: PendingWrite["kind"]): void {
    const index = queue.findIndex((entry) => entry.kind === kind);
    const [entry] = queue.splice(index, 1);
    if (!entry) return;
    counts[kind] -= 1;
    if (kind === "row") {
      dropped.rows += 1;
      return;
    }
    dropped.samples += 1;
    if (!dropped.from || entry.at < dropped.from) dropped.from = entry.at;
    if (!dropped.to || entry.at > dropped.to) dropped.to = entry.at;
  }

  async function reachable(): Promise<boolean> {
    try {
      await db.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }

  /** The drop notice (written first once the database answers), then the counts start again. */
  async function writeDropNotice(): Promise<void> {
    const from = dropped.from?.toISOString() ?? null;
    const to = dropped.to?.toISOString() ?? null;
    const since = unavailableSince
      ? `history store unavailable since ${unavailableSince.toISOString()}: `
      : "";
    await writeEvent(db, {
      nodeId: null,
      kind: "history_buffer_dropped",
      severity: "warning",
      message:
        `${since}the write buffer (KAMDASH_WRITE_BUFFER_MAX ${max}) dropped the ${dropped.samples} oldest samples` +
        (from ? ` (cycles ${from} to ${to})` : "") +
        (dropped.rows > 0 ? ` and ${dropped.rows} other rows (events, handshake attempts)` : ""),
      detail: { droppedSamples: dropped.samples, droppedRows: dropped.rows, from, to, bufferMax: max },
    });
  }

  const forgetDrops = () => Object.assign(dropped, { samples: 0, rows: 0, from: null, to: null });

  async function drain(): Promise<void> {
    for (;;) {
      const notice = dropped.samples + dropped.rows > 0;
      const entry = queue[0];
      if (!notice && !entry) return;
      try {
        if (notice) {
          await writeDropNotice();
          forgetDrops();
        } else if (entry) {
          await entry.write(db);
          if (queue[0] === entry) {
            queue.shift();
            counts[entry.kind] -= 1;
          }
        }
      } catch (err) {
        if (!(await reachable())) {
          if (!unavailableSince) unavailableSince = now();
          lastError = errorText(err);
          changed();
          return;
        }
        // the database answers: this row is refused (e.g. its node was deleted meanwhile), not the store
        if (notice) forgetDrops();
        else if (entry && queue[0] === entry) {
          queue.shift();
          counts[entry.kind] -= 1;
        }
        options.onRowError?.(err);
      }
      if (unavailableSince) {
        unavailableSince = null;
        lastError = null;
        changed();
      }
    }
  }

  return {
    add(entry) {
      queue.push(entry);
      counts[entry.kind] += 1;
      if (counts[entry.kind] <= max) return;
      dropOldest(entry.kind);
      changed();
    },
    flush(flushOptions = {}) {
      flushing ??= drain()
        .catch((err: unknown) => options.onRowError?.(err)) // only a throwing callback gets here
        .finally(() => {
          flushing = null;
        });
      const { waitMs } = flushOptions;
      if (waitMs === undefined) return flushing;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      return Promise.race([flushing, waited]).finally(() => clearTimeout(timer));
    },
    status,
    unavailable: () => unavailableSince !== null,
  };
}
