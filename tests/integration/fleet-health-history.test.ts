import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getFleetHealthHistory } from "@/lib/metrics/queries/getFleetHealthHistory";
import { rollUp } from "@/lib/metrics/rollup";
import { writeHandshakeAttempt } from "@/lib/metrics/writeHandshakeAttempt";
import { type OpenTempPostgres, openTempPostgres } from "../support/temp-postgres";

// Two nodes, ten minutes, a sample and a handshake attempt every 10 s, rolled up by the real job; the overview's
// fleet health charts read back. edge-a relays 5 branches a sample and fails 1 every second sample (30 / 3 a
// minute), edge-b relays 5 and fails none: the fleet rate is 3 / 60. In minute 9 only edge-a relays, 1 a sample:
// too few to judge. Handshakes: edge-a 100 ms, edge-b 200 ms. Sessions / calls: 4 / 3 and 2 / 2.

const T0 = Date.parse("2026-05-01T00:00:00.000Z");
const STEP_MS = 10_000;
const MINUTE_MS = 60_000;
const SAMPLES = 60;
const iso = (ms: number) => new Date(ms).toISOString();

let database: OpenTempPostgres;

function relayedAt(node: "a" | "b", k: number): number {
  const before9 = Math.min(k, 54);
  if (node === "b") return 5 * before9;
  return 5 * before9 + Math.max(0, k - 54);
}

function sample(nodeId: number, node: "a" | "b", k: number): Prisma.SampleCreateManyInput {
  return {
    nodeId,
    at: new Date(T0 + k * STEP_MS),
    up: true,
    durationMs: 5,
    rtpengineSessions: node === "a" ? 4 : 2,
    callsAnswered: node === "a" ? 3 : 2,
    branchRelayed: BigInt(relayedAt(node, k)),
    branchFailed: BigInt(node === "a" ? Math.floor(Math.min(k, 54) / 2) : 0),
  };
}

beforeAll(async () => {
  database = await openTempPostgres("fleet_health");
  const db = database.prisma;
  for (const node of ["a", "b"] as const) {
    const { id } = await db.kamailioNode.create({
      data: { name: `edge-${node}`, rpcUrl: `http://edge-${node}/RPC`, source: "cli" },
    });
    await db.sample.createMany({ data: Array.from({ length: SAMPLES }, (_, k) => sample(id, node, k)) });
    for (let k = 0; k < SAMPLES; k++) {
      await writeHandshakeAttempt(db, id, {
        at: iso(T0 + k * STEP_MS + 1),
        url: "wss://edge/ws",
        outcome: "ok",
        reason: null,
        tcpMs: 1,
        tlsMs: 1,
        upgradeMs: 1,
        optionsMs: 1,
        handshakeMs: node === "a" ? 100 : 200,
        httpStatus: 101,
        sipStatus: 200,
      });
    }
  }
  await db.$executeRaw`
    INSERT INTO branch_sample (sample_id, sample_at, direction, relayed, failed)
    SELECT id, at, 'wss_udp', branch_relayed, branch_failed FROM sample`;
  await rollUp(db, { now: new Date(T0 + 61 * MINUTE_MS) });
});

afterAll(async () => {
  await database?.drop();
});

describe("the overview's fleet health history (real PostgreSQL)", () => {
  it("gives the fleet rate, the highest handshake p95 and summed sessions / calls per minute over 1 h", async () => {
    const history = await getFleetHealthHistory(database.prisma, "1h", {
      now: new Date(T0 + 10 * MINUTE_MS),
    });
    expect(history).toMatchObject({ store: "1m", bucketMs: MINUTE_MS });
    expect(history.points).toHaveLength(60);
    const at = (minute: number) => history.points.find((p) => p.at === iso(T0 + minute * MINUTE_MS));
    for (const minute of [1, 5, 8]) {
      expect(at(minute), `minute ${minute}`).toEqual({
        at: iso(T0 + minute * MINUTE_MS),
        branchFailureRate: 3 / 60,
        branchesRelayed: 60,
        handshakeP95MaxMs: 200,
        rtpengineSessions: 6,
        callsAnswered: 5,
      });
    }
    // minute 9: 5 + 5 (the step from 08:50) + 5 × 1 = 15 branches, too few to judge: no rate, never 0 %
    expect(at(9)).toMatchObject({ branchFailureRate: null, branchesRelayed: 15 });
    // before the data: gaps, not zeros
    expect(history.points[0]).toMatchObject({
      branchFailureRate: null,
      handshakeP95MaxMs: null,
      rtpengineSessions: null,
    });
  });

  it("reads the 1-hour rollups for 7 days, in 1-hour buckets", async () => {
    const history = await getFleetHealthHistory(database.prisma, "7d", {
      now: new Date(T0 + 2 * 60 * MINUTE_MS),
    });
    expect(history).toMatchObject({ store: "1h", bucketMs: 60 * MINUTE_MS });
    expect(history.points).toHaveLength(7 * 24);
    const first = history.points.find((p) => p.at === iso(T0));
    expect(first?.handshakeP95MaxMs).toBe(200);
    expect(first?.rtpengineSessions).toBe(6);
  });
});
