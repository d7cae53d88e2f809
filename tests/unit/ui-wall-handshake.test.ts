import { describe, expect, it } from "vitest";
import { handshakeFigure } from "@/components/live/handshake-figure";
import type { HandshakeWindow } from "@/lib/poller/handshake-windows";
import {
  buildFleetSnapshot,
  type NodeSnapshot,
  type OverviewResponse,
  withAges,
} from "@/lib/poller/snapshot";
import { buildUpNodeSnapshot } from "@/lib/poller/snapshot-build";
import { sampleMeasurement } from "../support/snapshots";

// The wall's handshake tile: the worst p95 over 5 min of the up nodes that probe, by the seed's 500 ms rule.

const intervalMs = 2000;
const polledAt = new Date("2026-11-30T10:00:00Z");
const window = (p95Ms: number | null, failures: Record<string, number> = {}): HandshakeWindow => ({
  window: "5m",
  attempts: 30,
  ok: p95Ms === null ? 0 : 30,
  failures,
  p50Ms: p95Ms === null ? null : p95Ms / 2,
  p95Ms,
  maxMs: p95Ms,
  optionsP95Ms: null,
});

function node(name: string, w: HandshakeWindow | null): NodeSnapshot {
  const last = {
    at: polledAt.toISOString(),
    url: "wss://gw/",
    outcome: "ok" as const,
    reason: null,
    tcpMs: 1,
    tlsMs: 2,
    upgradeMs: 3,
    optionsMs: 4,
    handshakeMs: 6,
    httpStatus: 101,
    sipStatus: 200,
  };
  return buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt, durationMs: 40 },
    sampleMeasurement({ handshake: w ? { last, windows: [w] } : null }),
  );
}

const fleet = (...nodes: NodeSnapshot[]): OverviewResponse =>
  withAges(buildFleetSnapshot(nodes, intervalMs, polledAt), polledAt);

describe("the handshake tile", () => {
  it("shows the worst p95 and its node, ok under 400 ms, warning from 400 ms, bad over 500 ms", () => {
    const ok = handshakeFigure(fleet(node("edge1", window(12.3)), node("edge2", window(48))), 0);
    expect(ok).toMatchObject({ health: "ok", tone: "ok", display: "48 ms", value: 48 });
    expect(ok.details[0]).toBe("p95 over 5 min on edge2 (limit 500 ms)");
    expect(handshakeFigure(fleet(node("edge1", window(420))), 0).health).toBe("warning");
    expect(handshakeFigure(fleet(node("edge1", window(501))), 0).health).toBe("bad");
    expect(handshakeFigure(fleet(node("edge1", window(500))), 0).health).toBe("warning");
  });

  it("warns on failed attempts even with a good p95, and is bad with failures only", () => {
    const failing = handshakeFigure(fleet(node("edge1", window(20, { http_error: 3 }))), 0);
    expect(failing).toMatchObject({ health: "warning", display: "20 ms" });
    expect(failing.details[1]).toBe("3 failed (http_error on edge1)");
    const none = handshakeFigure(fleet(node("edge1", window(null, { refused: 5 }))), 0);
    expect(none).toMatchObject({ health: "bad", display: "—", value: null });
  });

  it("never shows 0 ms for a node without a probe: — and the node named", () => {
    const unknown = handshakeFigure(fleet(node("edge1", null)), 0);
    expect(unknown).toMatchObject({ health: "unknown", display: "—", value: null });
    expect(unknown.notes).toEqual(["no handshake probe on edge1"]);
    const partial = handshakeFigure(fleet(node("edge1", window(30)), node("edge2", null)), 0);
    expect(partial).toMatchObject({ tone: "partial", display: "30 ms", missingParts: 1 });
  });
});
