import { describe, expect, it } from "vitest";
import { ALERT_METRICS, readFleetMetric, readMetric } from "@/lib/alerts/metrics";
import { buildFleetSnapshot, buildUpNodeSnapshot, type NodeSnapshot } from "@/lib/poller/snapshot";
import { healthFamilies } from "@/lib/prometheus/health-families";
import type { CanaryState } from "./schema";

// The canary as an alert metric and as Prometheus gauges, read from the node snapshot's `canary` field.

const polledAt = new Date("2026-11-30T10:10:00.000Z");
const base = buildUpNodeSnapshot(
  { name: "edge1", rpcUrl: "http://edge1/RPC", intervalMs: 2000 },
  { polledAt, durationMs: 3 },
  {
    ...{
      ws: 0,
      wss: 0,
      registrations: 0,
      aors: 0,
      dialogsActive: 0,
      dialogsEarly: 0,
      rtpengineUp: 1,
      rtpengineTotal: 1,
    },
    rtpengines: [],
    branches: [],
    stats: {},
  },
);
const canary = (consecutiveFailures: number, at: string): CanaryState => ({
  state: consecutiveFailures === 0 ? "ok" : "failing",
  consecutiveFailures,
  since: at,
  intervalMs: 60_000,
  last: {
    at,
    target: "sip:probe2@example.org",
    outcome: consecutiveFailures === 0 ? "ok" : "call_failed",
    reason: consecutiveFailures === 0 ? null : "INVITE 480 Temporarily Unavailable",
    registerMs: 30,
    setupMs: consecutiveFailures === 0 ? 80 : null,
    byeMs: consecutiveFailures === 0 ? 20 : null,
    sipStatus: consecutiveFailures === 0 ? 200 : 480,
    sdpChecks: null,
  },
});
const withCanary = (state: CanaryState | null): NodeSnapshot => ({ ...base, canary: state });

describe("canary_failed_runs", () => {
  it("reads consecutive failed runs, 0 after an ok run", () => {
    expect(readMetric("canary_failed_runs", withCanary(canary(3, "2026-11-30T10:09:00.000Z")))).toBe(3);
    expect(readMetric("canary_failed_runs", withCanary(canary(0, "2026-11-30T10:09:00.000Z")))).toBe(0);
    expect(ALERT_METRICS.canary_failed_runs.fleet).toBe("max");
  });

  it("is unknown with the canary off and when the last run is older than 3 intervals (node down, canary stuck)", () => {
    expect(readMetric("canary_failed_runs", withCanary(null))).toBeNull();
    expect(readMetric("canary_failed_runs", withCanary(canary(2, "2026-11-30T10:06:59.000Z")))).toBeNull();
    expect(
      readFleetMetric("canary_failed_runs", [
        withCanary(null),
        withCanary(canary(2, "2026-11-30T10:09:00.000Z")),
      ]),
    ).toBe(2);
  });
});

describe("canary Prometheus gauges", () => {
  const samples = async (node: NodeSnapshot) => {
    const scrape = { fleet: buildFleetSnapshot([node], 2000, polledAt), now: polledAt };
    const families = healthFamilies.filter((f) => f.name.startsWith("kamdash_canary_"));
    const perFamily = await Promise.all(
      families.map(async (f) => (await f.samples(scrape)).map((s) => ({ name: f.name, ...s }))),
    );
    return perFamily.flat();
  };

  it("exports last-run success, consecutive failures and the reached phases in seconds", async () => {
    expect(await samples(withCanary(canary(1, "2026-11-30T10:09:00.000Z")))).toEqual([
      { name: "kamdash_canary_last_run_success", labels: { node: "edge1" }, value: 0 },
      { name: "kamdash_canary_consecutive_failures", labels: { node: "edge1" }, value: 1 },
      { name: "kamdash_canary_seconds", labels: { node: "edge1", phase: "register" }, value: 0.03 },
    ]);
  });

  it("exports nothing for a node without canary runs (never a 0)", async () => {
    expect(await samples(withCanary(null))).toEqual([]);
  });
});
