import type { Comparator, RuleThresholds } from "./rule-schema";

// Alert evaluation with hysteresis: pure, one rule × one node (or the fleet) × one value at a time.
//
//   ok/resolved ──value breaches──▶ pending ──held forSeconds──▶ firing ──past clearThreshold for
//   clearForSeconds (default forSeconds)──▶ resolved
//
// - pending falls back to ok as soon as the value no longer breaches (the for-duration starts again).
// - firing stays firing while the value sits between clearThreshold and threshold (the dead band), and the clear
//   timer starts again whenever the value leaves the healthy side: flapping around either threshold neither fires
//   again nor resolves, so it notifies nobody.
// - an unknown value (null) changes nothing: it never fires and never resolves.
// Times are epoch milliseconds from the caller's clock (the snapshot's polledAt), so tests drive it directly.

export const alertStates = ["ok", "pending", "firing", "resolved"] as const;
export type AlertStateName = (typeof alertStates)[number];

export type AlertMemory = {
  state: AlertStateName;
  /** When the current state began (pending: when the breach began), epoch ms. */
  sinceMs: number;
  /** Firing only: when the value went past clearThreshold and stayed there, epoch ms; null otherwise. */
  clearSinceMs: number | null;
  /** The last known value (null before any). */
  value: number | null;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
};

export type Transition = "firing" | "resolved" | null;
export type Evaluation = { memory: AlertMemory; transition: Transition };

export function initialMemory(atMs: number): AlertMemory {
  return { state: "ok", sinceMs: atMs, clearSinceMs: null, value: null, firedAtMs: null, resolvedAtMs: null };
}

/** True when `value` is on the alerting side of `threshold`. */
export function breaches(comparator: Comparator, value: number, threshold: number): boolean {
  switch (comparator) {
    case "gt":
      return value > threshold;
    case "gte":
      return value >= threshold;
    case "lt":
      return value < threshold;
    case "lte":
      return value <= threshold;
  }
}

/** True when `value` is past the clear threshold, on the healthy side (≤ it for gt/gte, ≥ it for lt/lte). */
export function isClear(comparator: Comparator, value: number, clearThreshold: number): boolean {
  return comparator === "gt" || comparator === "gte" ? value <= clearThreshold : value >= clearThreshold;
}

/** The next memory for one observation at `atMs`, and the notification it calls for (at most one). */
export function evaluate(
  rule: RuleThresholds,
  memory: AlertMemory,
  value: number | null,
  atMs: number,
): Evaluation {
  if (value === null) return { memory, transition: null };
  const next: AlertMemory = { ...memory, value };
  const breaching = breaches(rule.comparator, value, rule.threshold);
  const forMs = rule.forSeconds * 1000;

  if (memory.state === "ok" || memory.state === "resolved" || memory.state === "pending") {
    if (!breaching) {
      if (memory.state === "pending")
        return { memory: { ...next, state: "ok", sinceMs: atMs }, transition: null };
      return { memory: next, transition: null };
    }
    const pendingSince = memory.state === "pending" ? memory.sinceMs : atMs;
    if (atMs - pendingSince >= forMs) {
      return {
        memory: { ...next, state: "firing", sinceMs: atMs, clearSinceMs: null, firedAtMs: atMs },
        transition: "firing",
      };
    }
    return { memory: { ...next, state: "pending", sinceMs: pendingSince }, transition: null };
  }

  // firing
  if (!isClear(rule.comparator, value, rule.clearThreshold)) {
    return { memory: { ...next, clearSinceMs: null }, transition: null };
  }
  const clearSince = memory.clearSinceMs ?? atMs;
  const clearForMs = (rule.clearForSeconds ?? rule.forSeconds) * 1000;
  if (atMs - clearSince >= clearForMs) {
    return {
      memory: { ...next, state: "resolved", sinceMs: atMs, clearSinceMs: null, resolvedAtMs: atMs },
      transition: "resolved",
    };
  }
  return { memory: { ...next, clearSinceMs: clearSince }, transition: null };
}

/** True when the change is worth writing down (state or timers moved; the value alone is not). */
export function memoryMoved(before: AlertMemory, after: AlertMemory): boolean {
  return (
    before.state !== after.state ||
    before.sinceMs !== after.sinceMs ||
    before.clearSinceMs !== after.clearSinceMs
  );
}
