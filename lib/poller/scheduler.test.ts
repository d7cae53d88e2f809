import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createScheduler,
  RunSkippedError,
  RunTimeoutError,
  type ScheduledJob,
  type Scheduler,
} from "./scheduler";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Recorder = { starts: number[]; ends: number[]; active: number; maxActive: number };

function recordingJob(key: string, durationMs: number, rec: Recorder, version = "v1"): ScheduledJob {
  return {
    key,
    version,
    run: async () => {
      rec.starts.push(Date.now());
      rec.active += 1;
      rec.maxActive = Math.max(rec.maxActive, rec.active);
      try {
        await sleep(durationMs);
      } finally {
        rec.active -= 1;
        rec.ends.push(Date.now());
      }
    },
  };
}

const newRecorder = (): Recorder => ({ starts: [], ends: [], active: 0, maxActive: 0 });

/** stopAll() waits for runs in flight, which wait for fake timers: let those run. */
async function stop(scheduler: Scheduler) {
  const stopping = scheduler.stopAll();
  await vi.runAllTimersAsync();
  await stopping;
}

describe("createScheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts after the jitter and keeps the interval by subtracting the run's own duration", async () => {
    const rec = newRecorder();
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 5000,
      startJitterMs: 1000,
      random: () => 0.25,
      now: () => Date.now(),
      loadJobs: async () => [recordingJob("a", 300, rec)],
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(3300);
    expect(rec.starts).toEqual([250, 1250, 2250, 3250]);
    await stop(scheduler);
  });

  it("never overlaps a run that takes longer than the interval; the next starts when it ends", async () => {
    const rec = newRecorder();
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 10_000,
      startJitterMs: 0,
      now: () => Date.now(),
      loadJobs: async () => [recordingJob("slow", 2500, rec)],
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(8000);
    expect(rec.maxActive).toBe(1);
    expect(rec.starts).toHaveLength(4);
    rec.starts.slice(1).forEach((start, i) => {
      const previousEnd = rec.ends[i] ?? Number.NaN;
      expect(start - previousEnd).toBeGreaterThanOrEqual(0);
      expect(start - previousEnd).toBeLessThanOrEqual(1);
    });
    await stop(scheduler);
  });

  it("reports a throwing run and keeps the schedule going", async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 5000,
      startJitterMs: 0,
      now: () => Date.now(),
      onError: (_key, err) => errors.push(err),
      loadJobs: async () => [
        {
          key: "bad",
          version: "1",
          run: async () => {
            runs += 1;
            throw new Error(`boom ${runs}`);
          },
        },
      ],
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2500);
    expect(runs).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(["boom 1", "boom 2", "boom 3"]);
    await stop(scheduler);
  });

  it("aborts a run past its timeout, reports it, and runs again afterwards", async () => {
    const errors: unknown[] = [];
    const abortReasons: unknown[] = [];
    let runs = 0;
    const hangUntilAborted: ScheduledJob = {
      key: "hang",
      version: "1",
      run: (signal) => {
        runs += 1;
        return new Promise<void>((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            abortReasons.push(signal.reason);
            reject(signal.reason);
          });
        });
      },
    };
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 1500,
      startJitterMs: 0,
      now: () => Date.now(),
      onError: (_key, err) => errors.push(err),
      loadJobs: async () => [hangUntilAborted],
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1600);
    expect(abortReasons).toHaveLength(1);
    expect(abortReasons[0]).toBeInstanceOf(RunTimeoutError);
    expect(errors[0]).toBeInstanceOf(RunTimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    await stop(scheduler);
  });

  it("skips (and reports) a tick while a timed-out run that ignores its abort is still in flight", async () => {
    const errors: unknown[] = [];
    const rec = newRecorder();
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 1000,
      abandonAfterMs: 100,
      startJitterMs: 0,
      now: () => Date.now(),
      onError: (_key, err) => errors.push(err),
      loadJobs: async () => [recordingJob("deaf", 3000, rec)],
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(6500);
    expect(rec.maxActive).toBe(1);
    expect(errors.some((e) => e instanceof RunSkippedError)).toBe(true);
    await stop(scheduler);
  });

  it("stopAll waits for the run in flight and nothing runs after it", async () => {
    const rec = newRecorder();
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 5000,
      startJitterMs: 0,
      now: () => Date.now(),
      loadJobs: async () => [recordingJob("a", 800, rec)],
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(rec.active).toBe(1);
    let stopped = false;
    const stopping = scheduler.stopAll().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    expect(stopped).toBe(true);
    expect(rec.ends).toEqual([800]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(rec.starts).toEqual([0]);
  });

  it("picks up added, removed and changed jobs on notify()", async () => {
    const recA = newRecorder();
    const recB = newRecorder();
    let jobs: ScheduledJob[] = [recordingJob("a", 10, recA)];
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 5000,
      startJitterMs: 0,
      now: () => Date.now(),
      loadJobs: async () => jobs,
    });
    await scheduler.start();
    expect(scheduler.keys()).toEqual(["a"]);
    await vi.advanceTimersByTimeAsync(1500);
    jobs = [recordingJob("b", 10, recB)];
    await scheduler.notify();
    expect(scheduler.keys()).toEqual(["b"]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(recA.starts).toEqual([0, 1000]);
    expect(recB.starts).toEqual([1500, 2500, 3500]);

    const recB2 = newRecorder();
    jobs = [recordingJob("b", 10, recB2, "v2")];
    await scheduler.notify();
    await vi.advanceTimersByTimeAsync(1100);
    expect(recB.starts).toEqual([1500, 2500, 3500]);
    // the replacement waits for the old version's run (3500–3510) instead of overlapping it
    expect(recB2.starts).toEqual([3510, 4510]);
    await stop(scheduler);
  });

  it("reloads the jobs every N cycles without a notify()", async () => {
    let loads = 0;
    const scheduler = createScheduler({
      intervalMs: 1000,
      timeoutMs: 5000,
      reloadEveryCycles: 3,
      now: () => Date.now(),
      loadJobs: async () => {
        loads += 1;
        return [];
      },
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(6100);
    expect(loads).toBe(3);
    await stop(scheduler);
  });
});
