import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLastNodeState } from "@/lib/metrics/queries/getLastNodeState";
import { getOverviewHistory } from "@/lib/metrics/queries/getOverviewHistory";
import { getSeries } from "@/lib/metrics/queries/getSeries";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeSample } from "@/lib/metrics/writeSample";
import { buildDownNodeSnapshot, buildUpNodeSnapshot, type NodeSnapshot } from "@/lib/poller/snapshot";
import { type OpenTempPostgres, openTempPostgres } from "../support/temp-postgres";

let database: OpenTempPostgres;
let nodeId: number;
const base = Date.parse("2026-01-01T10:00:00.000Z");
const identity = { name: "edge-1", rpcUrl: "http://127.0.0.1:5080/RPC", intervalMs: 2000 };

function upAt(seconds: number, ws: number): NodeSnapshot {
  return buildUpNodeSnapshot(
    identity,
    { polledAt: new Date(base + seconds * 1000), durationMs: 7 },
    {
      ws,
      wss: ws + 1,
      registrations: ws * 2,
      aors: ws,
      dialogsActive: 1,
      dialogsEarly: 0,
      rtpengineUp: 1,
      rtpengineTotal: 1,
      rtpengines: [
        {
          url: "udp:127.0.0.1:22222",
          set: 0,
          up: true,
          disabled: false,
          state: "up",
          label: "up",
          recheckSeconds: 0,
          ngAnswered: true,
        },
      ],
      branches: [
        { direction: "wss_udp", relayed: 10, failed: 2 },
        { direction: "udp_wss", relayed: 4, failed: 1 },
      ],
      stats: {
        "websocket.ws_successful_handshakes": 40,
        "tmx.2xx_transactions": 12,
        "tmx.active_transactions": 3,
      },
    },
  );
}

const downAt = (seconds: number, previous: NodeSnapshot) =>
  buildDownNodeSnapshot(
    identity,
    { polledAt: new Date(base + seconds * 1000), durationMs: 1500 },
    "refused",
    previous,
  );

beforeAll(async () => {
  database = await openTempPostgres("poller");
  const node = await database.prisma.kamailioNode.create({
    data: { name: identity.name, rpcUrl: identity.rpcUrl, source: "cli" },
  });
  nodeId = node.id;
  // 0..58 s up (ws = 10 + i), 60..118 s down, 120..178 s up again (ws = 50)
  let last = upAt(0, 10);
  for (let i = 0; i < 90; i++) {
    const seconds = i * 2;
    const snap =
      seconds < 60 ? upAt(seconds, 10 + i) : seconds < 120 ? downAt(seconds, last) : upAt(seconds, 50);
    if (snap.up) last = snap;
    await writeSample(database.prisma, nodeId, snap);
  }
});

afterAll(async () => {
  await database?.drop();
});

describe("metrics storage (real PostgreSQL)", () => {
  it("writes one sample row with its columns and branch rows", async () => {
    const rows = await database.prisma.sample.findMany({
      where: { nodeId, at: new Date(base) },
    });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    const branches = await database.prisma.branchSample.findMany({
      where: { sampleId: row?.id, sampleAt: row?.at },
      orderBy: { direction: "asc" },
    });
    expect(row).toMatchObject({
      up: true,
      wsConnections: 10,
      wssConnections: 11,
      registrations: 20,
      durationMs: 7,
      wsHandshakesOk: 40n,
      tmx2xx: 12n,
      transactionsActive: 3,
      branchRelayed: 14n,
      branchFailed: 3n,
      dialogsFailed: null,
    });
    expect(branches.map((b) => [b.direction, b.relayed, b.failed])).toEqual([
      ["udp_wss", 4n, 1n],
      ["wss_udp", 10n, 2n],
    ]);
  });

  it("stores a down sample with null measurements, never zeros", async () => {
    const row = await database.prisma.sample.findFirst({ where: { nodeId, at: new Date(base + 60_000) } });
    expect(row).toMatchObject({
      up: false,
      error: "refused",
      wsConnections: null,
      branchFailed: null,
      tmx2xx: null,
    });
  });

  it("getSeries returns every sample with gaps (null) where the node was down", async () => {
    const series = await getSeries(database.prisma, {
      nodeId,
      metric: "ws",
      from: new Date(base + 56_000),
      to: new Date(base + 64_000),
    });
    expect(series.bucketMs).toBe(0);
    expect(series.points).toEqual([
      { at: "2026-01-01T10:00:56.000Z", value: 38, up: true },
      { at: "2026-01-01T10:00:58.000Z", value: 39, up: true },
      { at: "2026-01-01T10:01:00.000Z", value: null, up: false },
      { at: "2026-01-01T10:01:02.000Z", value: null, up: false },
    ]);
  });

  it("getSeries averages long ranges into buckets, a fully down bucket stays a gap", async () => {
    const series = await getSeries(database.prisma, {
      nodeId,
      metric: "ws",
      from: new Date(base),
      to: new Date(base + 180_000),
      maxPoints: 3,
    });
    expect(series.bucketMs).toBe(60_000);
    expect(series.points).toEqual([
      { at: "2026-01-01T10:00:00.000Z", value: 24.5, up: true },
      { at: "2026-01-01T10:01:00.000Z", value: null, up: false },
      { at: "2026-01-01T10:02:00.000Z", value: 50, up: true },
    ]);
  });

  it("getSeries of branchFailed reads the summed column", async () => {
    const series = await getSeries(database.prisma, {
      nodeId,
      metric: "branchFailed",
      from: new Date(base),
      to: new Date(base + 2000),
    });
    expect(series.points).toEqual([{ at: "2026-01-01T10:00:00.000Z", value: 3, up: true }]);
  });

  it("getOverviewHistory gives per node 1-minute buckets with avg and max", async () => {
    const history = await getOverviewHistory(database.prisma, {
      now: new Date(base + 180_000),
      rangeMs: 180_000,
    });
    expect(history.bucketMs).toBe(60_000);
    expect(history.nodes.map((n) => n.name)).toEqual(["edge-1"]);
    const points = history.nodes[0]?.points ?? [];
    expect(points.map((p) => p.at)).toEqual([
      "2026-01-01T10:00:00.000Z",
      "2026-01-01T10:01:00.000Z",
      "2026-01-01T10:02:00.000Z",
    ]);
    expect(points[0]).toMatchObject({ up: true, ws: { avg: 24.5, max: 39 }, wss: { avg: 25.5, max: 40 } });
    expect(points[1]).toMatchObject({ up: false, ws: null, registrations: null });
    expect(points[2]).toMatchObject({ up: true, ws: { avg: 50, max: 50 } });
  });

  it("getLastNodeState restores the last state and the last up numbers", async () => {
    const state = await getLastNodeState(database.prisma, nodeId);
    expect(state.lastUp).toBe(true);
    expect(state.lastUpAt?.toISOString()).toBe("2026-01-01T10:02:58.000Z");
    expect(state.lastUpNumbers).toMatchObject({ ws: 50, wss: 51, registrations: 100 });
    expect(await getLastNodeState(database.prisma, nodeId + 1000)).toEqual({
      lastUp: null,
      lastUpAt: null,
      lastUpNumbers: null,
      kamailio: null,
    });
  });

  it("writeEvent stores an event for the node", async () => {
    await writeEvent(database.prisma, {
      nodeId,
      kind: "node_down",
      severity: "critical",
      message: "edge-1 is not answering: refused",
      detail: { rpcUrl: identity.rpcUrl },
    });
    const events = await database.prisma.event.findMany({ where: { nodeId } });
    expect(events.map((e) => [e.kind, e.severity, e.message])).toEqual([
      ["node_down", "critical", "edge-1 is not answering: refused"],
    ]);
    expect(events[0]?.detail).toEqual({ rpcUrl: identity.rpcUrl });
  });
});
