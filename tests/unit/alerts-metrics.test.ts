import { describe, expect, it } from "vitest";
import { formatMetricValue, readFleetMetric, readMetric } from "@/lib/alerts/metrics";
import { buildDownNodeSnapshot, buildUpNodeSnapshot, type NodeMeasurement } from "@/lib/poller/snapshot";

const at = new Date("2026-01-01T00:00:00Z");
const node = (name: string) => ({ name, rpcUrl: `http://${name}/RPC`, intervalMs: 2000 });
const measurement = (extra: Partial<NodeMeasurement> = {}): NodeMeasurement => ({
  ws: 1,
  wss: 1,
  registrations: 1,
  aors: 1,
  dialogsActive: 2,
  dialogsEarly: 0,
  rtpengineUp: 1,
  rtpengineTotal: 3,
  rtpengines: [],
  branches: [],
  stats: {},
  ...extra,
});
const up = (name: string, extra?: Partial<NodeMeasurement>) =>
  buildUpNodeSnapshot(node(name), { polledAt: at, durationMs: 3 }, measurement(extra));

describe("alert metrics", () => {
  it("reads each health number from the snapshot, null when unknown", () => {
    const a = up("a", { sessionsVsCalls: { sessions: 1, calls: 4, gap: -3, engines: 1 } });
    expect(readMetric("node_down", a)).toBe(0);
    expect(readMetric("rtpengine_not_up", a)).toBe(2);
    expect(readMetric("sessions_calls_gap", a)).toBe(3);
    expect(readMetric("branch_failure_rate", a)).toBeNull();
    expect(readMetric("handshake_p95_ms", a)).toBeNull();
    expect(readMetric("sockets_without_registration_share", a)).toBeNull();
    const down = buildDownNodeSnapshot(node("b"), { polledAt: at, durationMs: 3 }, "refused", a);
    expect(readMetric("node_down", down)).toBe(1);
    expect(readMetric("rtpengine_not_up", down)).toBeNull();
  });

  it("counts RTPEngine instances only from fresh readings", () => {
    const a = up("a");
    const stale = {
      ...a.readings,
      rtpengineUp: { state: "stale", reason: "x", measuredAt: null, source: null },
    };
    expect(readMetric("rtpengine_not_up", { ...a, readings: stale } as typeof a)).toBeNull();
  });

  it("takes the fleet's worst (or summed) value over the known ones", () => {
    const a = up("a", { rtpengineUp: 3 });
    const b = up("b");
    const down = buildDownNodeSnapshot(node("c"), { polledAt: at, durationMs: 3 }, "refused", undefined);
    expect(readFleetMetric("node_down", [a, b, down])).toBe(1);
    expect(readFleetMetric("rtpengine_not_up", [a, b, down])).toBe(2);
    expect(readFleetMetric("handshake_p95_ms", [a, b])).toBeNull();
  });

  it("formats values in their unit", () => {
    expect(formatMetricValue("branch_failure_rate", 0.0312)).toBe("3.12 %");
    expect(formatMetricValue("branch_failure_rate", 0.01)).toBe("1 %");
    expect(formatMetricValue("handshake_p95_ms", 512.4)).toBe("512 ms");
    expect(formatMetricValue("node_down", null)).toBe("unknown");
  });
});
