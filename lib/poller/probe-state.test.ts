import { describe, expect, it } from "vitest";
import {
  ageMemory,
  applyOutcome,
  backoffMs,
  isDue,
  type ProbeMemory,
  shownResult,
  skippedMemory,
  toProbeStatus,
} from "./probe-state";

const timing = {
  intervalMs: 2000,
  cadenceMs: 2000,
  backoffMaxMs: 16_000,
  staleMaxMs: 10_000,
  startupGraceMs: 6000,
  unavailableRecheckMs: 60_000,
};
const fail = {
  kind: "failing",
  reason: "rtpengine.show: Kamailio answered error 404: Instance not found",
} as const;

function run(steps: { at: number; outcome: Parameters<typeof applyOutcome>[2] }[]) {
  let memory: ProbeMemory | undefined;
  const transitions: string[] = [];
  for (const step of steps) {
    const applied = applyOutcome("rtpengine", memory, step.outcome, step.at, timing);
    memory = applied.memory;
    if (applied.transition) transitions.push(applied.transition.kind);
  }
  return { memory: memory as ProbeMemory, transitions };
}

describe("probe state", () => {
  it("a failing probe shows its last good value (stale) while young, then nothing (failing); one event each way", () => {
    const { memory, transitions } = run([
      { at: 0, outcome: { kind: "ok", result: 1 } },
      { at: 2000, outcome: fail },
      { at: 4000, outcome: fail },
    ]);
    expect(memory).toMatchObject({ state: "stale", failures: 2, sinceMs: 2000, last: 1, lastAtMs: 0 });
    expect(shownResult(memory)).toBe(1);
    const aged = ageMemory(memory, 11_000, timing.staleMaxMs);
    expect(aged.state).toBe("failing");
    expect(aged.sinceMs).toBe(2000);
    expect(shownResult(aged)).toBeNull();
    const back = applyOutcome("rtpengine", aged, { kind: "ok", result: 2 }, 12_000, timing);
    expect(back.transition).toMatchObject({ kind: "probe_recovered", failedForMs: 10_000, failures: 2 });
    expect(transitions).toEqual(["probe_failing"]);
  });

  it("backs off: one interval for two failures, then doubling up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 30].map((f) => backoffMs(f, timing))).toEqual([
      2000, 2000, 4000, 8000, 16000, 16000, 16000,
    ]);
    const { memory } = run([0, 2000, 4000].map((at) => ({ at, outcome: fail })));
    expect(memory.nextDueAtMs).toBe(4000 + 4000);
    expect(isDue(memory, 6000, 2000)).toBe(false);
    expect(isDue(memory, 7000, 2000)).toBe(true);
  });

  it("'starting' is short and silent; past its grace it is failing, with one event", () => {
    const starting = { kind: "starting", reason: "rtpengine.show: Initializing - try later" } as const;
    const early = run([0, 2000, 4000].map((at) => ({ at, outcome: starting })));
    expect(early.memory.state).toBe("starting");
    expect(early.memory.nextDueAtMs).toBe(6000);
    expect(early.transitions).toEqual([]);
    const late = run([0, 2000, 4000, 6000, 8000].map((at) => ({ at, outcome: starting })));
    expect(late.memory.state).toBe("failing");
    expect(late.transitions).toEqual(["probe_failing"]);
  });

  it("unavailable is rechecked now and then, with no event and no stale values", () => {
    const { memory, transitions } = run([
      { at: 0, outcome: { kind: "ok", result: 3 } },
      { at: 2000, outcome: { kind: "unavailable", reason: "module not loaded" } },
    ]);
    expect(memory).toMatchObject({ state: "unavailable", nextDueAtMs: 62_000, last: null });
    expect(transitions).toEqual([]);
    expect(toProbeStatus("rtpengine", memory)).toMatchObject({
      probe: "rtpengine",
      state: "unavailable",
      reason: "module not loaded",
      nextAttemptAt: new Date(62_000).toISOString(),
    });
  });

  it("left out by a cycle budget: stale with the reason, still due, and no event unless it then really fails", () => {
    const ok = applyOutcome("stats", undefined, { kind: "ok", result: 7 }, 0, timing).memory;
    const skipped = skippedMemory(ok, 2000, timing.staleMaxMs, "stats: not asked in this cycle");
    expect(skipped).toMatchObject({
      state: "stale",
      reason: "stats: not asked in this cycle",
      failures: 0,
      last: 7,
    });
    expect(skipped.nextDueAtMs).toBe(ok.nextDueAtMs);
    expect(shownResult(skipped)).toBe(7);
    expect(skippedMemory(ok, 20_000, timing.staleMaxMs, "x").state).toBe("failing");
    // answered next time: no probe_recovered (no probe_failing was raised)
    expect(applyOutcome("stats", skipped, { kind: "ok", result: 8 }, 4000, timing).transition).toBeNull();
    // timed out next time: its first real failure raises probe_failing, and its recovery probe_recovered
    const failed = applyOutcome("stats", skipped, fail, 4000, timing);
    expect(failed.transition?.kind).toBe("probe_failing");
    expect(
      applyOutcome("stats", failed.memory, { kind: "ok", result: 9 }, 6000, timing).transition?.kind,
    ).toBe("probe_recovered");
  });
});
