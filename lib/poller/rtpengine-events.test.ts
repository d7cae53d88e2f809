import { describe, expect, it } from "vitest";
import type { CycleResults } from "./collect";
import { type NodeEvent, newNodePollState, pollNodeOnce } from "./poll-node";
import { applyOutcome } from "./probe-state";
import type { RtpengineInstance } from "./probes/rtpengine";
import { rtpengineEvents } from "./rtpengine-events";

const target = { id: 3, name: "edge-2", rpcUrl: "http://127.0.0.1:5080/RPC" };
const A = "udp:127.0.0.1:2223";
const B = "udp:10.0.0.9:2223";
const up = (url: string): RtpengineInstance => ({
  url,
  set: 0,
  state: "up",
  recheckSeconds: null,
  label: "up",
});
const off = (url: string): RtpengineInstance => ({
  url,
  set: 0,
  state: "disabled",
  recheckSeconds: null,
  label: "disabled (permanent)",
});
const dead = (url: string, s: number): RtpengineInstance => ({
  url,
  set: 0,
  state: "unreachable",
  recheckSeconds: s,
  label: `unreachable, retry in ${s} s`,
});

/** Feeds readings one after another; returns the kinds each step wrote. */
function run(readings: RtpengineInstance[][]) {
  let memory = null as ReturnType<typeof rtpengineEvents>["memory"] | null;
  return readings.map((reading) => {
    const seen = rtpengineEvents(target, memory, reading);
    memory = seen.memory;
    return seen.events;
  });
}

describe("rtpengineEvents", () => {
  it("nothing on the first reading, whatever the states", () => {
    expect(run([[off(A), dead(B, 5)]])).toEqual([[]]);
  });

  it("up → disabled → up: one rtpengine_disabled with URL and Kamailio's label, then one rtpengine_enabled", () => {
    const steps = run([
      [up(A), up(B)],
      [off(A), up(B)],
      [off(A), up(B)],
      [up(A), up(B)],
    ]);
    expect(steps.map((s) => s.map((e) => e.kind))).toEqual([
      [],
      ["rtpengine_disabled"],
      [],
      ["rtpengine_enabled"],
    ]);
    expect(steps[1]?.[0]).toMatchObject({
      severity: "warning",
      detail: { url: A, state: "disabled", label: "disabled (permanent)", previousState: "up", set: 0 },
    });
    expect(steps[1]?.[0]?.message).toContain(A);
    expect(steps[1]?.[0]?.message).toContain("disabled (permanent)");
    expect(steps[3]?.[0]).toMatchObject({
      severity: "info",
      detail: { url: A, state: "up", label: "up", previousState: "disabled" },
    });
  });

  it("an unreachable instance counting down its re-check is one change, not one per reading", () => {
    const steps = run([[up(B)], [dead(B, 10)], [dead(B, 9)], [dead(B, 8)], [up(B)]]);
    expect(steps.map((s) => s.map((e) => e.kind))).toEqual([
      [],
      ["rtpengine_disabled"],
      [],
      [],
      ["rtpengine_enabled"],
    ]);
    expect(steps[1]?.[0]?.message).toContain("unreachable, retry in 10 s");
  });

  it("an instance appearing in or leaving the list writes nothing", () => {
    expect(run([[up(A)], [up(A), off(B)], [off(B)]])).toEqual([[], [], []]);
  });
});

function cycle(uptimeS: number, reading: RtpengineInstance[] | null): CycleResults {
  const timing = {
    intervalMs: 1000,
    cadenceMs: 1000,
    backoffMaxMs: 60_000,
    staleMaxMs: 300_000,
    startupGraceMs: 60_000,
    unavailableRecheckMs: 60_000,
  };
  const outcome = reading
    ? ({ kind: "ok", result: reading } as const)
    : ({ kind: "failing", reason: "rtpengine.show: timeout" } as const);
  const memory = new Map([["rtpengine", applyOutcome("rtpengine", undefined, outcome, 0, timing).memory]]);
  return {
    core: { uptimeS, version: null },
    values: new Map(reading ? [["rtpengine", reading]] : []),
    fresh: new Set(reading ? ["rtpengine"] : []),
    memory,
    statuses: [],
    transitions: [],
    retries: 0,
    skipped: [],
  };
}

describe("pollNodeOnce: rtpengine events", () => {
  it("diffs fresh readings only, and forgets the states across a Kamailio restart", async () => {
    const cycles = [
      cycle(100, [up(A)]),
      cycle(101, null), // the probe failed this cycle: nothing to diff, the last reading is kept
      cycle(102, [off(A)]), // disabled while the probe failed: seen now
      cycle(3, [up(A)]), // Kamailio restarted (which enabled it again): no event for that
      cycle(4, [off(A)]),
    ];
    const events: NodeEvent[] = [];
    let second = 0;
    const state = newNodePollState();
    for (const results of cycles) {
      await pollNodeOnce(target, state, {
        intervalMs: 1000,
        collect: async () => results,
        publish: () => undefined,
        persist: async () => undefined,
        recordEvent: async (e) => {
          events.push(e);
        },
        now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
      });
      second += 1;
    }
    expect(events.map((e) => e.kind)).toEqual(["rtpengine_disabled", "node_restarted", "rtpengine_disabled"]);
    expect(events[0]?.detail).toMatchObject({ url: A, rpcUrl: target.rpcUrl, previousState: "up" });
  });
});
