// A generic per-key schedule: one setTimeout chain per job that never overlaps itself.
// It knows nothing about Kamailio; the poller hands it jobs (one per node) and a way to reload them.

import { log } from "@/lib/log";

export type ScheduledJob = {
  key: string;
  /** A change of version (e.g. the node's URL) replaces the job. */
  version: string;
  run: (signal: AbortSignal) => Promise<void>;
};

export type SchedulerOptions = {
  intervalMs: number;
  /** Per-run timeout: the run's signal is aborted and the error reported. */
  timeoutMs: number;
  /** A new job's first run waits random() * startJitterMs. Default: intervalMs. */
  startJitterMs?: number;
  /** After its timeout a run gets this long to settle before the schedule moves on without it. */
  abandonAfterMs?: number;
  loadJobs: () => Promise<ScheduledJob[]>;
  /** Reload jobs every N intervals (and on notify()). Default 15. */
  reloadEveryCycles?: number;
  onError?: (key: string, err: unknown) => void;
  random?: () => number;
  now?: () => number;
};

export type Scheduler = {
  /** Loads the jobs and starts their schedules. */
  start(): Promise<void>;
  /** Reloads the job list now (nodes added/removed/changed). */
  notify(): Promise<void>;
  /** Stops every schedule and waits for runs in flight. */
  stopAll(): Promise<void>;
  keys(): string[];
};

export class RunTimeoutError extends Error {
  constructor(key: string, timeoutMs: number) {
    super(`${key}: poll run exceeded ${timeoutMs} ms`);
    this.name = "RunTimeoutError";
  }
}

export class RunSkippedError extends Error {
  constructor(key: string) {
    super(`${key}: previous run still in flight after its timeout, run skipped`);
    this.name = "RunSkippedError";
  }
}

type Entry = { job: ScheduledJob; timer: ReturnType<typeof setTimeout> | null; stopped: boolean };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createScheduler(options: SchedulerOptions): Scheduler {
  const intervalMs = options.intervalMs;
  const jitterMs = options.startJitterMs ?? intervalMs;
  const abandonAfterMs = options.abandonAfterMs ?? options.timeoutMs;
  const reloadEvery = options.reloadEveryCycles ?? 15;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const report = (key: string, err: unknown) => {
    try {
      (options.onError ?? defaultOnError)(key, err);
    } catch {
      // a failing reporter must not break the schedule
    }
  };

  const entries = new Map<string, Entry>();
  // Runs in flight by key, kept after a job is removed or replaced so nothing overlaps and stopAll can wait.
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  let started = false;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  let syncChain: Promise<void> = Promise.resolve();

  function schedule(entry: Entry, delayMs: number) {
    if (entry.stopped || stopped) return;
    entry.timer = setTimeout(() => void tick(entry), Math.max(0, delayMs));
  }

  async function tick(entry: Entry) {
    entry.timer = null;
    if (entry.stopped || stopped) return;
    const key = entry.job.key;
    const previous = inFlight.get(key);
    if (previous) {
      // a replaced job's last run, or a timed-out run that ignored its abort
      await Promise.race([previous, sleep(abandonAfterMs)]);
      if (entry.stopped || stopped) return;
      if (inFlight.has(key)) {
        report(key, new RunSkippedError(key));
        schedule(entry, intervalMs);
        return;
      }
    }
    const startedAt = now();
    const controller = new AbortController();
    const run = Promise.resolve()
      .then(() => entry.job.run(controller.signal))
      .catch((err: unknown) => report(key, err));
    const settled = run.finally(() => {
      if (inFlight.get(key) === settled) inFlight.delete(key);
    });
    inFlight.set(key, settled);

    let timeout: ReturnType<typeof setTimeout> | null = null;
    const timedOut = new Promise<"timeout">((resolve) => {
      timeout = setTimeout(() => resolve("timeout"), options.timeoutMs);
    });
    const outcome = await Promise.race([settled.then(() => "done" as const), timedOut]);
    if (timeout) clearTimeout(timeout);
    if (outcome === "timeout") {
      const err = new RunTimeoutError(key, options.timeoutMs);
      controller.abort(err);
      report(key, err);
      await Promise.race([settled, sleep(abandonAfterMs)]);
    }
    schedule(entry, intervalMs - (now() - startedAt));
  }

  function addJob(job: ScheduledJob) {
    const entry: Entry = { job, timer: null, stopped: false };
    entries.set(job.key, entry);
    schedule(entry, random() * jitterMs);
  }

  function removeJob(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entry.stopped = true;
    if (entry.timer) clearTimeout(entry.timer);
    entries.delete(key);
  }

  async function sync() {
    if (stopped) return;
    let jobs: ScheduledJob[];
    try {
      jobs = await options.loadJobs();
    } catch (err) {
      report("(jobs)", err);
      return;
    }
    if (stopped) return;
    const wanted = new Map(jobs.map((j) => [j.key, j]));
    for (const [key, entry] of [...entries]) {
      const next = wanted.get(key);
      if (!next || next.version !== entry.job.version) removeJob(key);
    }
    for (const job of wanted.values()) if (!entries.has(job.key)) addJob(job);
  }

  function queueSync(): Promise<void> {
    syncChain = syncChain.then(sync);
    return syncChain;
  }

  function scheduleReload() {
    if (stopped) return;
    reloadTimer = setTimeout(async () => {
      await queueSync();
      scheduleReload();
    }, intervalMs * reloadEvery);
  }

  return {
    async start() {
      if (started) return;
      started = true;
      await queueSync();
      scheduleReload();
    },
    notify: queueSync,
    async stopAll() {
      stopped = true;
      if (reloadTimer) clearTimeout(reloadTimer);
      for (const key of [...entries.keys()]) removeJob(key);
      await syncChain;
      await Promise.allSettled([...inFlight.values()]);
    },
    keys: () => [...entries.keys()],
  };
}

function defaultOnError(key: string, err: unknown) {
  log.error({ job: key, err }, `${key} failed`);
}

/** Stops the scheduler on SIGTERM/SIGINT; exits afterwards unless someone else (e.g. Next) also listens. */
export function stopOnSignals(scheduler: Scheduler): () => void {
  const handler = (signal: NodeJS.Signals) => {
    void scheduler.stopAll().finally(() => {
      if (process.listenerCount(signal) === 0) process.exit(signal === "SIGINT" ? 130 : 143);
    });
  };
  const onTerm = () => {
    process.off("SIGTERM", onTerm);
    handler("SIGTERM");
  };
  const onInt = () => {
    process.off("SIGINT", onInt);
    handler("SIGINT");
  };
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return () => {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
  };
}
