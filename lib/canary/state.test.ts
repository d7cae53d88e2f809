import { describe, expect, it } from "vitest";
import type { CanaryResult } from "./schema";
import { nextCanaryState, stateFromStoredRuns } from "./state";

const node = { id: 7, name: "edge1" };
const run = (outcome: CanaryResult["outcome"], at: string): CanaryResult => ({
  at,
  target: "sip:probe2@example.org",
  outcome,
  reason: outcome === "ok" ? null : "REGISTER 401 Unauthorized",
  registerMs: outcome === "ok" ? 31.5 : null,
  setupMs: outcome === "ok" ? 80 : null,
  byeMs: outcome === "ok" ? 20 : null,
  sipStatus: outcome === "ok" ? 200 : 401,
  sdpChecks: null,
});

describe("nextCanaryState", () => {
  it("a first ok run: state ok, no event", () => {
    const { state, event } = nextCanaryState(null, run("ok", "2026-11-30T10:00:00.000Z"), 60_000, node);
    expect(state).toMatchObject({ state: "ok", consecutiveFailures: 0, since: "2026-11-30T10:00:00.000Z" });
    expect(event).toBeNull();
  });

  it("ok → failing writes one event; further failures count up without events; failing → ok writes one", () => {
    let current = nextCanaryState(null, run("ok", "2026-11-30T10:00:00.000Z"), 60_000, node).state;
    const failed = nextCanaryState(current, run("register_failed", "2026-11-30T10:01:00.000Z"), 60_000, node);
    expect(failed.state).toMatchObject({
      state: "failing",
      consecutiveFailures: 1,
      since: "2026-11-30T10:01:00.000Z",
    });
    expect(failed.event).toMatchObject({
      nodeId: 7,
      kind: "canary_failing",
      severity: "warning",
      message: "Canary on edge1 failing: register_failed (REGISTER 401 Unauthorized)",
    });
    current = failed.state;
    const again = nextCanaryState(current, run("register_failed", "2026-11-30T10:02:00.000Z"), 60_000, node);
    expect(again.state).toMatchObject({ consecutiveFailures: 2, since: "2026-11-30T10:01:00.000Z" });
    expect(again.event).toBeNull();
    const back = nextCanaryState(again.state, run("ok", "2026-11-30T10:03:00.000Z"), 60_000, node);
    expect(back.state).toMatchObject({
      state: "ok",
      consecutiveFailures: 0,
      since: "2026-11-30T10:03:00.000Z",
    });
    expect(back.event).toMatchObject({ kind: "canary_recovered", severity: "info" });
  });

  it("a first run that fails is a change (writes the event)", () => {
    expect(nextCanaryState(null, run("timeout", "2026-11-30T10:00:00.000Z"), 60_000, node).event?.kind).toBe(
      "canary_failing",
    );
  });
});

describe("stateFromStoredRuns", () => {
  const stored = (outcome: CanaryResult["outcome"] | "unknown", at: string, id: string) => ({
    ...run(outcome === "unknown" ? "error" : outcome, at),
    outcome,
    id,
  });

  it("counts the failed runs in a row back to the last ok one, since the oldest of them", () => {
    const state = stateFromStoredRuns(
      [
        stored("call_failed", "2026-11-30T10:03:00.000Z", "4"),
        stored("timeout", "2026-11-30T10:02:00.000Z", "3"),
        stored("ok", "2026-11-30T10:01:00.000Z", "2"),
        stored("call_failed", "2026-11-30T10:00:00.000Z", "1"),
      ],
      60_000,
    );
    expect(state).toMatchObject({
      state: "failing",
      consecutiveFailures: 2,
      since: "2026-11-30T10:02:00.000Z",
      last: { outcome: "call_failed", at: "2026-11-30T10:03:00.000Z" },
    });
    expect(state?.last).not.toHaveProperty("id");
    // the restored state then behaves like one built run by run: one more failure, no new event
    const next = nextCanaryState(state, run("call_failed", "2026-11-30T10:04:00.000Z"), 60_000, node);
    expect(next.event).toBeNull();
    expect(next.state.consecutiveFailures).toBe(3);
  });

  it("an ok streak: ok since its oldest run; nothing stored or an unknown outcome: null", () => {
    expect(
      stateFromStoredRuns(
        [
          stored("ok", "2026-11-30T10:02:00.000Z", "3"),
          stored("ok", "2026-11-30T10:01:00.000Z", "2"),
          stored("register_failed", "2026-11-30T10:00:00.000Z", "1"),
        ],
        60_000,
      ),
    ).toMatchObject({ state: "ok", consecutiveFailures: 0, since: "2026-11-30T10:01:00.000Z" });
    expect(stateFromStoredRuns([], 60_000)).toBeNull();
    expect(stateFromStoredRuns([stored("unknown", "2026-11-30T10:00:00.000Z", "1")], 60_000)).toBeNull();
  });
});
