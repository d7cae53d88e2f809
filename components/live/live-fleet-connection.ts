import { type OverviewResponse, OverviewResponseSchema, SSE_SNAPSHOT_EVENT } from "@/lib/poller/snapshot";

// Browser side of the live snapshot: the SSE stream first; while it is down, poll the overview API every poll
// interval. Nothing here ever clears the last snapshot — callers keep showing it while reconnecting.

export type LiveStatus =
  | "connecting" // no stream event yet
  | "live" // snapshots arrive over SSE
  | "polling" // SSE is down, the polling fallback works
  | "reconnecting" // SSE is down and the last poll failed
  | "unauthorized"; // the server refused our session (expired kiosk or sign-in)

export type LiveFleetOptions = {
  streamUrl: string;
  pollUrl: string;
  /** The current poll interval (taken from the latest snapshot). */
  intervalMs: () => number;
  onFleet: (fleet: OverviewResponse) => void;
  onStatus: (status: LiveStatus) => void;
};

/** A browser whose EventSource gave up (non-200 reply) opens a new one after this long. */
const STREAM_REOPEN_MS = 5000;
/** With no snapshot for this long an "open" stream is treated as dead (sleeping network, stuck proxy). */
const STREAM_SILENCE_MS = 30_000;
const MIN_POLL_MS = 1000;

function parseFleet(json: string): OverviewResponse | null {
  try {
    const parsed = OverviewResponseSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
    console.warn("[live] ignoring a snapshot that does not match the contract", parsed.error.issues);
  } catch (err) {
    console.warn("[live] ignoring a snapshot that is not JSON", err);
  }
  return null;
}

/** Connects and returns the function that disconnects. */
export function connectLiveFleet(options: LiveFleetOptions): () => void {
  let stream: EventSource | null = null;
  let streamLive = false;
  let stopped = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  let pollAbort: AbortController | null = null;
  let polling = false;

  const pollEveryMs = () => Math.max(MIN_POLL_MS, options.intervalMs());

  function armSilenceWatchdog() {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(
      () => {
        streamLost();
        openStream();
      },
      Math.max(STREAM_SILENCE_MS, 3 * pollEveryMs()),
    );
  }

  function openStream() {
    clearTimeout(reopenTimer);
    stream?.close();
    const source = new EventSource(options.streamUrl);
    stream = source;
    armSilenceWatchdog();
    source.addEventListener(SSE_SNAPSHOT_EVENT, (event) => {
      if (stopped || stream !== source) return;
      const fleet = parseFleet((event as MessageEvent<string>).data);
      if (fleet === null) return;
      streamLive = true;
      stopPolling();
      armSilenceWatchdog();
      options.onFleet(fleet);
      options.onStatus("live");
    });
    source.onerror = () => {
      if (stopped || stream !== source) return;
      // CONNECTING: the browser retries by itself (server sent `retry:`); CLOSED: it gave up, so we retry.
      if (source.readyState === EventSource.CLOSED) reopenTimer = setTimeout(openStream, STREAM_REOPEN_MS);
      streamLost();
    };
  }

  function streamLost() {
    if (streamLive) options.onStatus("reconnecting");
    streamLive = false;
    startPolling();
  }

  function startPolling() {
    if (polling || stopped) return;
    polling = true;
    void pollOnce();
  }

  function stopPolling() {
    polling = false;
    clearTimeout(pollTimer);
    pollAbort?.abort();
    pollAbort = null;
  }

  async function pollOnce() {
    const abort = new AbortController();
    pollAbort = abort;
    try {
      const response = await fetch(options.pollUrl, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { accept: "application/json" },
        signal: abort.signal,
      });
      if (!polling || abort.signal.aborted) return;
      if (response.status === 401 || response.status === 403) {
        options.onStatus("unauthorized");
      } else if (!response.ok) {
        options.onStatus("reconnecting");
      } else {
        const fleet = parseFleet(await response.text());
        if (!polling || abort.signal.aborted) return;
        if (fleet === null) options.onStatus("reconnecting");
        else {
          options.onFleet(fleet);
          options.onStatus("polling");
        }
      }
    } catch {
      if (abort.signal.aborted) return;
      options.onStatus("reconnecting");
    }
    if (polling && !stopped) pollTimer = setTimeout(() => void pollOnce(), pollEveryMs());
  }

  openStream();
  return () => {
    stopped = true;
    stopPolling();
    clearTimeout(reopenTimer);
    clearTimeout(silenceTimer);
    stream?.close();
    stream = null;
  };
}
