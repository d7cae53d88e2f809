import type { ProbeState, ProbeStatus } from "./readings";

// Each probe of each node keeps its own state between cycles: when it runs next (its cadence, or a back-off
// while failing), its last good result and how old that is, and the transitions that deserve one event.

/** How a probe's attempt ended. */
export type ProbeOutcome<R = unknown> =
  | { kind: "ok"; result: R }
  /** Not on this node (module not loaded, counters group missing…): rechecked now and then, no event. */
  | { kind: "unavailable"; reason: string }
  /** Kamailio just restarted and the module is not ready ("Initializing - try later"). */
  | { kind: "starting"; reason: string }
  /** `partial`: what the attempt did measure (e.g. which media servers answered); it becomes the last value. */
  | { kind: "failing"; reason: string; partial?: R };

export type ProbeTiming = {
  /** The node's poll interval (ms). */
  intervalMs: number;
  /** How often the probe runs while ok (ms): the interval, or the heavy-list cadence. */
  cadenceMs: number;
  /** Longest back-off between attempts of a failing probe (ms). */
  backoffMaxMs: number;
  /** How long last good values are still shown (greyed, with their age) while the probe fails (ms). */
  staleMaxMs: number;
  /** How long "starting" may last before it counts as failing (ms). */
  startupGraceMs: number;
  /** How often a probe the node cannot serve is asked again (ms). */
  unavailableRecheckMs: number;
  /**
   * A failed attempt is itself a measurement (the handshake probe): retry at the cadence, not sooner, whatever
   * the back-off says.
   */
  retryAtCadence?: boolean;
};

export type ProbeMemory<R = unknown> = {
  state: ProbeState;
  reason: string | null;
  sinceMs: number | null;
  failures: number;
  /** Last good result and when it was measured (epoch ms). */
  last: R | null;
  lastAtMs: number | null;
  /** Epoch ms from which the probe is due again; 0 = due now. */
  nextDueAtMs: number;
};

export type ProbeTransition = {
  kind: "probe_failing" | "probe_recovered";
  probe: string;
  reason: string | null;
  /** Consecutive failures when it started failing; how long it failed (ms) when it recovered. */
  failures: number;
  failedForMs: number | null;
};

const isFailingState = (state: ProbeState) => state === "failing" || state === "stale";

/** Back-off after `failures` consecutive failures: one interval for the first two, then doubling up to the cap. */
export function backoffMs(
  failures: number,
  timing: Pick<ProbeTiming, "intervalMs" | "backoffMaxMs">,
): number {
  const doublings = Math.max(0, failures - 2);
  return Math.min(timing.backoffMaxMs, timing.intervalMs * 2 ** Math.min(doublings, 20));
}

/** A probe is due when never run, demanded, or its next time has come (half an interval early: cycles jitter). */
export function isDue(memory: ProbeMemory | undefined, nowMs: number, intervalMs: number): boolean {
  return memory === undefined || nowMs >= memory.nextDueAtMs - intervalMs / 2;
}

/** "stale" while the last good values are young enough to show, else "failing". */
function failingState(memory: Pick<ProbeMemory, "lastAtMs">, nowMs: number, staleMaxMs: number): ProbeState {
  return memory.lastAtMs !== null && nowMs - memory.lastAtMs <= staleMaxMs ? "stale" : "failing";
}

/**
 * The probe's memory after an attempt, and the event the change deserves: probe_failing once when it starts
 * failing (starting that outlasts its grace counts too), probe_recovered once when it answers again.
 */
export function applyOutcome<R>(
  name: string,
  previous: ProbeMemory<R> | undefined,
  outcome: ProbeOutcome<R>,
  nowMs: number,
  timing: ProbeTiming,
): { memory: ProbeMemory<R>; transition: ProbeTransition | null } {
  const prev: ProbeMemory<R> = previous ?? {
    state: "ok",
    reason: null,
    sinceMs: null,
    failures: 0,
    last: null,
    lastAtMs: null,
    nextDueAtMs: 0,
  };
  const wasFailing = isFailingState(prev.state);
  const enter = (state: ProbeState) => (state === prev.state ? prev.sinceMs : nowMs);

  if (outcome.kind === "ok") {
    const memory: ProbeMemory<R> = {
      state: "ok",
      reason: null,
      sinceMs: enter("ok"),
      failures: 0,
      last: outcome.result,
      lastAtMs: nowMs,
      nextDueAtMs: nowMs + timing.cadenceMs,
    };
    // failures 0: only left out by a cycle budget (skippedMemory), which raised no probe_failing either
    const transition: ProbeTransition | null =
      wasFailing && prev.failures > 0
        ? {
            kind: "probe_recovered",
            probe: name,
            reason: prev.reason,
            failures: prev.failures,
            failedForMs: prev.sinceMs === null ? null : nowMs - prev.sinceMs,
          }
        : null;
    return { memory, transition };
  }

  if (outcome.kind === "unavailable") {
    const memory: ProbeMemory<R> = {
      ...prev,
      state: "unavailable",
      reason: outcome.reason,
      sinceMs: enter("unavailable"),
      failures: 0,
      last: null,
      lastAtMs: null,
      nextDueAtMs: nowMs + timing.unavailableRecheckMs,
    };
    return { memory, transition: null };
  }

  const failures = prev.failures + 1;
  const startingSince = prev.state === "starting" ? (prev.sinceMs ?? nowMs) : nowMs;
  // once past its grace, "Initializing" is a failure like any other until the probe answers
  const stillStarting =
    outcome.kind === "starting" && !wasFailing && nowMs - startingSince < timing.startupGraceMs;
  const state: ProbeState = stillStarting ? "starting" : failingState(prev, nowMs, timing.staleMaxMs);
  const partial = outcome.kind === "failing" && outcome.partial !== undefined ? outcome.partial : undefined;
  const memory: ProbeMemory<R> = {
    ...prev,
    ...(partial === undefined ? {} : { last: partial, lastAtMs: nowMs }),
    state,
    reason: outcome.reason,
    // a probe that goes from stale to failing (its values aged out) keeps the time it started failing
    sinceMs: isFailingState(state) && wasFailing ? prev.sinceMs : enter(state),
    failures,
    nextDueAtMs:
      nowMs +
      (stillStarting
        ? timing.intervalMs
        : Math.max(backoffMs(failures, timing), timing.retryAtCadence ? timing.cadenceMs : 0)),
  };
  const transition: ProbeTransition | null =
    // prev.failures 0 while failing: only left out by a cycle budget so far, this is its first real failure
    isFailingState(state) && (!wasFailing || prev.failures === 0)
      ? { kind: "probe_failing", probe: name, reason: outcome.reason, failures, failedForMs: null }
      : null;
  return { memory, transition };
}

/**
 * A due probe that a cycle left out because slow replies used up its time budget: its last good values are shown
 * as stale (failing once too old) with `reason`, it stays due, and no probe_failing event is raised (the probes that
 * were slow raise their own).
 */
export function skippedMemory<R>(
  previous: ProbeMemory<R>,
  nowMs: number,
  staleMaxMs: number,
  reason: string,
): ProbeMemory<R> {
  if (previous.state === "unavailable" || previous.state === "starting") return previous;
  if (isFailingState(previous.state)) return ageMemory(previous, nowMs, staleMaxMs);
  return { ...previous, state: failingState(previous, nowMs, staleMaxMs), reason, sinceMs: nowMs };
}

/** Re-ages a failing probe that was not attempted this cycle (its last good values may now be too old). */
export function ageMemory<R>(memory: ProbeMemory<R>, nowMs: number, staleMaxMs: number): ProbeMemory<R> {
  if (!isFailingState(memory.state)) return memory;
  const state = failingState(memory, nowMs, staleMaxMs);
  return state === memory.state ? memory : { ...memory, state };
}

/** The values to show: fresh or stale results; null when failing past the stale limit, unavailable or starting. */
export function shownResult<R>(memory: ProbeMemory<R> | undefined): R | null {
  if (!memory) return null;
  return memory.state === "ok" || memory.state === "stale" ? memory.last : null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toProbeStatus(name: string, memory: ProbeMemory): ProbeStatus {
  return {
    probe: name,
    state: memory.state,
    reason: memory.reason,
    since: iso(memory.sinceMs),
    failures: memory.failures,
    measuredAt: iso(memory.lastAtMs),
    nextAttemptAt: iso(memory.nextDueAtMs || null),
  };
}
