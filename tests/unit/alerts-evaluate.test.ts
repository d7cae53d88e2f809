import { describe, expect, it } from "vitest";
import { type AlertMemory, evaluate, initialMemory, type Transition } from "@/lib/alerts/evaluate";
import type { RuleThresholds } from "@/lib/alerts/rule-schema";

// The evaluator on a simulated clock: one observation every 2 s (the default poll interval).

const branchRule: RuleThresholds = {
  comparator: "gt",
  threshold: 0.01,
  forSeconds: 300,
  clearThreshold: 0.008,
  clearForSeconds: null,
};
const T0 = Date.parse("2026-01-01T00:00:00Z");
const STEP_MS = 2000;

/** Feeds `values` (one per step from `startMs`), returning the final memory and every transition with its time. */
function run(
  rule: RuleThresholds,
  values: readonly (number | null)[],
  memory: AlertMemory = initialMemory(T0),
  startMs = T0,
): { memory: AlertMemory; transitions: { at: number; transition: Transition }[] } {
  const transitions: { at: number; transition: Transition }[] = [];
  let m = memory;
  values.forEach((value, i) => {
    const at = startMs + i * STEP_MS;
    const result = evaluate(rule, m, value, at);
    if (result.transition) transitions.push({ at: at - T0, transition: result.transition });
    m = result.memory;
  });
  return { memory: m, transitions };
}

const repeat = <T>(value: T, seconds: number): T[] => Array.from({ length: seconds / 2 }, () => value);

describe("alert evaluation", () => {
  it("goes pending at the first breach and fires exactly once after the for-duration", () => {
    const { memory, transitions } = run(branchRule, repeat(0.03, 900));
    expect(transitions).toEqual([{ at: 300_000, transition: "firing" }]);
    expect(memory).toMatchObject({ state: "firing", firedAtMs: T0 + 300_000, value: 0.03 });
  });

  it("does not fire when the breach breaks off before the for-duration, and starts counting again", () => {
    const values = [...repeat(0.03, 298), 0.005, ...repeat(0.03, 298)];
    expect(run(branchRule, values).transitions).toEqual([]);
    const { transitions } = run(branchRule, [...values, ...repeat(0.03, 10)]);
    expect(transitions).toEqual([{ at: (298 + 2 + 300) * 1000, transition: "firing" }]);
  });

  it("flapping around the threshold while firing neither fires again nor resolves", () => {
    const fired = run(branchRule, repeat(0.03, 302));
    // 0.011 / 0.009: above, then inside the dead band (0.008 < v ≤ 0.01); 0.007 for 4 s: clear, but not long enough
    const flapping = Array.from({ length: 600 }, (_, i) => [0.011, 0.009, 0.007, 0.007, 0.012][i % 5] ?? 0);
    const { memory, transitions } = run(branchRule, flapping, fired.memory, T0 + 302_000);
    expect(transitions).toEqual([]);
    expect(memory.state).toBe("firing");
  });

  it("flapping around the threshold before firing never fires", () => {
    const flapping = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0.011 : 0.009));
    expect(run(branchRule, flapping).transitions).toEqual([]);
  });

  it("resolves exactly once after the value stayed past the clear threshold for the clear duration", () => {
    const fired = run(branchRule, repeat(0.03, 302));
    const { memory, transitions } = run(branchRule, repeat(0.002, 900), fired.memory, T0 + 302_000);
    expect(transitions).toEqual([{ at: 602_000, transition: "resolved" }]);
    expect(memory).toMatchObject({ state: "resolved", resolvedAtMs: T0 + 602_000, firedAtMs: T0 + 300_000 });
  });

  it("uses a separate clear duration when one is set", () => {
    const rule = { ...branchRule, clearForSeconds: 60 };
    const fired = run(rule, repeat(0.03, 302));
    const { transitions } = run(rule, repeat(0.002, 120), fired.memory, T0 + 302_000);
    expect(transitions).toEqual([{ at: 362_000, transition: "resolved" }]);
  });

  it("keeps every state and timer on unknown values (never fires, never resolves)", () => {
    const pending = run(branchRule, repeat(0.03, 100));
    const unknown = run(branchRule, repeat(null, 1000), pending.memory, T0 + 100_000);
    expect(unknown.transitions).toEqual([]);
    expect(unknown.memory).toEqual(pending.memory);

    const fired = run(branchRule, repeat(0.03, 302));
    const stillFiring = run(branchRule, repeat(null, 3600), fired.memory, T0 + 302_000);
    expect(stillFiring.transitions).toEqual([]);
    expect(stillFiring.memory.state).toBe("firing");
    expect(run(branchRule, repeat(null, 3600)).memory.state).toBe("ok");
  });

  it("fires again after a resolve only when a new breach holds the for-duration", () => {
    const fired = run(branchRule, repeat(0.03, 302));
    const resolved = run(branchRule, repeat(0.002, 302), fired.memory, T0 + 302_000);
    const again = run(branchRule, repeat(0.05, 302), resolved.memory, T0 + 604_000);
    expect(again.transitions).toEqual([{ at: 904_000, transition: "firing" }]);
  });

  it("handles ≥ with a zero clear threshold (node down, sessions ≠ calls) and fires at once with for 0", () => {
    const down = {
      comparator: "gte",
      threshold: 1,
      forSeconds: 30,
      clearThreshold: 0,
      clearForSeconds: null,
    } as const;
    const { transitions } = run(down, [...repeat(1, 40), ...repeat(0, 40)]);
    expect(transitions).toEqual([
      { at: 30_000, transition: "firing" },
      { at: 70_000, transition: "resolved" },
    ]);
    expect(run({ ...down, forSeconds: 0 }, [1]).transitions).toEqual([{ at: 0, transition: "firing" }]);
  });

  it("handles a < rule (clear threshold above the threshold)", () => {
    const low = {
      comparator: "lt",
      threshold: 10,
      forSeconds: 4,
      clearThreshold: 12,
      clearForSeconds: 4,
    } as const;
    const { transitions } = run(low, [5, 5, 5, 11, 11, 11, 11, 13, 13, 13]);
    expect(transitions).toEqual([
      { at: 4000, transition: "firing" },
      { at: 18_000, transition: "resolved" },
    ]);
  });
});
