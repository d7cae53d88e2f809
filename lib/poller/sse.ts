import { getFleetSnapshot, subscribe } from "./live";
import {
  type FleetSnapshot,
  SSE_PING_MS,
  SSE_REAUTHORIZE_MS,
  SSE_RETRY_MS,
  SSE_SNAPSHOT_EVENT,
  withAges,
} from "./snapshot";

export type SnapshotStreamOptions = {
  pingMs?: number;
  /** Several nodes finishing their cycle close together are sent as one event. */
  coalesceMs?: number;
  getFleet?: () => FleetSnapshot;
  subscribeTo?: (listener: (fleet: FleetSnapshot) => void) => () => void;
  /**
   * Checked every `reauthorizeMs` while the stream is open; false ends it, so a revoked token, a signed-out or
   * disabled operator stops receiving snapshots (the client's reconnect then gets 401).
   */
  stillAllowed?: () => Promise<boolean>;
  reauthorizeMs?: number;
};

export const sseHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  // authenticated data: no cache (shared or private) may keep it
  "cache-control": "no-store, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

/** Chunks (events, pings) a stream holds for a client that does not read; beyond this they are skipped. */
export const MAX_QUEUED_CHUNKS = 8;

export function formatSnapshotEvent(fleet: FleetSnapshot, now: Date): string {
  return `event: ${SSE_SNAPSHOT_EVENT}\ndata: ${JSON.stringify(withAges(fleet, now))}\n\n`;
}

/**
 * The SSE body of /api/v1/stream: retry hint, the current snapshot at once, a snapshot after every poll
 * cycle, a `: ping` comment every 15 s. Everything is released when the client goes (signal) or cancels, or when
 * `stillAllowed` says the credentials no longer hold.
 */
export function createSnapshotStream(signal: AbortSignal, options: SnapshotStreamOptions = {}) {
  const pingMs = options.pingMs ?? SSE_PING_MS;
  const coalesceMs = options.coalesceMs ?? 100;
  const getFleet = options.getFleet ?? (() => getFleetSnapshot());
  const subscribeTo = options.subscribeTo ?? subscribe;
  const encoder = new TextEncoder();
  let release = () => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let pending: ReturnType<typeof setTimeout> | null = null;
      const send = (text: string) => {
        if (closed) return;
        // A client that stopped reading (stalled network, zero TCP window) gets nothing more until it catches up:
        // snapshots replace each other, so skipping is harmless, and queueing them would grow without bound.
        // desiredSize = highWaterMark (1) - chunks queued.
        if (1 - (controller.desiredSize ?? 1) >= MAX_QUEUED_CHUNKS) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          release();
        }
      };
      const sendSnapshot = () => {
        pending = null;
        send(formatSnapshotEvent(getFleet(), new Date()));
      };
      const unsubscribe = subscribeTo(() => {
        pending ??= setTimeout(sendSnapshot, coalesceMs);
      });
      const ping = setInterval(() => send(": ping\n\n"), pingMs);
      const stillAllowed = options.stillAllowed;
      const reauthorize = stillAllowed
        ? setInterval(() => {
            // a check that fails (database hiccup) keeps the stream; only a clear "no" ends it
            stillAllowed().then(
              (allowed) => {
                if (!allowed && !closed) onAbort();
              },
              () => {},
            );
          }, options.reauthorizeMs ?? SSE_REAUTHORIZE_MS)
        : null;
      const onAbort = () => {
        release();
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      };
      release = () => {
        if (closed) return;
        closed = true;
        clearInterval(ping);
        if (reauthorize) clearInterval(reauthorize);
        if (pending) clearTimeout(pending);
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      send(`retry: ${SSE_RETRY_MS}\n\n`);
      sendSnapshot();
      if (signal.aborted) onAbort();
    },
    cancel() {
      release();
    },
  });
}
