import { z } from "zod";

/**
 * Whether kamdash's history store (PostgreSQL / PGlite) takes writes, and what waits in memory meanwhile
 * (lib/metrics/write-buffer.ts). Carried by the fleet snapshot (overview API, SSE, overview page and wall).
 */
export const HistoryStoreStatusSchema = z.object({
  /** ok: rows are written as they come; unavailable: the database did not answer, rows wait in memory. */
  state: z.enum(["ok", "unavailable"]),
  /** When the first write failed for want of the database (ISO); null while ok. */
  unavailableSince: z.string().nullable(),
  /** The last error the database (or its driver) gave; null while ok. */
  lastError: z.string().nullable(),
  /** Samples (one per node and poll cycle) waiting in memory, oldest written first. */
  bufferedSamples: z.number().int(),
  /** Other rows waiting (events, handshake attempts). */
  bufferedRows: z.number().int(),
  /** KAMDASH_WRITE_BUFFER_MAX: beyond this many samples (and as many other rows) the oldest are dropped. */
  bufferMax: z.number().int(),
  /** Samples dropped (oldest first) since the store became unavailable, and the cycle times they spanned (ISO). */
  droppedSamples: z.number().int(),
  droppedFrom: z.string().nullable(),
  droppedTo: z.string().nullable(),
});
export type HistoryStoreStatus = z.infer<typeof HistoryStoreStatusSchema>;

/** One line for the overview page and the wall; null while the store takes writes and nothing waits. */
export function historyStoreLine(status: HistoryStoreStatus | null | undefined): string | null {
  if (!status || status.state === "ok") return null;
  const since = status.unavailableSince
    ? ` since ${status.unavailableSince.replace("T", " ").slice(0, 19)} UTC`
    : "";
  const dropped =
    status.droppedSamples > 0
      ? `; ${status.droppedSamples} oldest dropped (buffer holds ${status.bufferMax})`
      : "";
  return (
    `History store unavailable${since}: ${status.bufferedSamples} samples buffered in memory${dropped}. ` +
    "Live numbers go on; charts and events miss this spell until it returns."
  );
}
