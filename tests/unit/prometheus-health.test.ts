import { describe, expect, it } from "vitest";
import { BranchWindows } from "@/lib/poller/branch-windows";
import { HandshakeWindows } from "@/lib/poller/handshake-windows";
import { buildFleetSnapshot, buildUpNodeSnapshot } from "@/lib/poller/snapshot";
import { renderMetrics } from "@/lib/prometheus/export";
import { sampleMeasurement } from "../support/snapshots";

const t0 = Date.parse("2026-11-30T10:00:00Z");
const node = { name: "edge", rpcUrl: "http://edge/RPC", intervalMs: 2000 };

function snapshotWithHealth() {
  const branches = new BranchWindows();
  branches.add(t0 - 2000, false, [{ direction: "wss_udp", relayed: 0, failed: 0 }]);
  branches.add(t0, false, [{ direction: "wss_udp", relayed: 200, failed: 10 }]);
  const handshakes = new HandshakeWindows();
  for (const [i, ms] of [12, 30, 18].entries()) {
    handshakes.add({
      at: new Date(t0 - 3000 + i * 1000).toISOString(),
      url: "wss://edge:443",
      outcome: "ok",
      reason: null,
      tcpMs: 1,
      tlsMs: 1,
      upgradeMs: 1,
      optionsMs: 1,
      handshakeMs: ms,
      httpStatus: 101,
      sipStatus: 200,
    });
  }
  return buildUpNodeSnapshot(
    node,
    { polledAt: new Date(t0), durationMs: 3 },
    {
      ...sampleMeasurement(),
      branchFailure: branches.failure(t0),
      handshake: handshakes.summary(t0),
      sessionsVsCalls: { sessions: 3, calls: 2, gap: 1, engines: 1 },
      socketsVsRegistrations: {
        measuredAt: new Date(t0).toISOString(),
        connections: 8,
        withRegistration: 6,
        withoutRegistration: 2,
        shareWithout: 0.25,
        registrationsWithoutConnection: 0,
      },
    },
  );
}

describe("Prometheus: the seed's health numbers", () => {
  it("exports judged branch-failure ratios, handshake latency, sessions vs calls, sockets without registration", async () => {
    const fleet = buildFleetSnapshot([snapshotWithHealth()], 2000, new Date(t0));
    const { text } = await renderMetrics({ fleet, now: new Date(t0) });
    const lines = text.split("\n");
    for (const window of ["1m", "5m", "1h"]) {
      expect(lines).toContain(
        `kamdash_branch_failure_ratio{node="edge",direction="wss_udp",window="${window}"} 0.05`,
      );
    }
    expect(lines).toContain('kamdash_handshake_latency_seconds{node="edge",window="1m",stat="p95"} 0.03');
    expect(lines).toContain('kamdash_handshake_latency_seconds{node="edge",window="1m",stat="p50"} 0.018');
    expect(lines).toContain('kamdash_handshake_attempts{node="edge",window="1m",outcome="ok"} 3');
    expect(lines).toContain('kamdash_rtpengine_sessions{node="edge"} 3');
    expect(lines).toContain('kamdash_sessions_calls_gap{node="edge"} 1');
    expect(lines).toContain('kamdash_ws_connections_without_registration{node="edge"} 2');
  });

  it("exports nothing it could not judge: too few branches, no handshake target, unknown sessions", async () => {
    const bare = buildUpNodeSnapshot(node, { polledAt: new Date(t0), durationMs: 3 }, sampleMeasurement());
    const { text } = await renderMetrics({
      fleet: buildFleetSnapshot([bare], 2000, new Date(t0)),
      now: new Date(t0),
    });
    for (const name of [
      "kamdash_branch_failure_ratio",
      "kamdash_handshake_latency_seconds",
      "kamdash_rtpengine_sessions",
      "kamdash_ws_connections_without_registration",
      "kamdash_alert_firing",
    ]) {
      expect(text.split("\n").filter((l) => l.startsWith(`${name}{`))).toEqual([]);
    }
  });
});
