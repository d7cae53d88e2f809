import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { HandshakeAttempt } from "@/lib/handshake/attempt";
import { getHealthSparklines } from "@/lib/metrics/queries/getHealthSparklines";
import { getNodeHistory, type NodeHistoryPoint } from "@/lib/metrics/queries/getNodeHistory";
import { applyRetention } from "@/lib/metrics/retention";
import { rollUp } from "@/lib/metrics/rollup";
import { writeHandshakeAttempt } from "@/lib/metrics/writeHandshakeAttempt";
import { HandshakeWindows } from "@/lib/poller/handshake-windows";
import { type OpenTempPostgres, openTempPostgres } from "../support/temp-postgres";

// One node, 2 h from T0, a sample and a handshake attempt every 10 s: down 00:30-00:40 (attempts refused),
// Kamailio restarted at 00:50:00 (counters from 0). Branch counters: relayed +5 per sample, failed +1 every second
// sample since (re)start, so a full minute relays 30 and fails 3. Every sixth attempt fails (timeout).
// RTPEngine 4 sessions on 3 answered calls; sockets without registration (2) measured on every third sample only.
// Also the wall's sparklines, read from the same rollups.

const T0 = Date.parse("2026-04-01T00:00:00.000Z");
const STEP_MS = 10_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const SAMPLES = (2 * HOUR_MS) / STEP_MS;
const RESTART_K = 50 * 6;
const down = (k: number) => k >= 30 * 6 && k < 40 * 6;
const iso = (ms: number) => new Date(ms).toISOString();

let database: OpenTempPostgres;
let nodeId: number;
const attempts: HandshakeAttempt[] = [];

function sample(k: number): Prisma.SampleCreateManyInput {
  const at = new Date(T0 + k * STEP_MS);
  if (down(k)) return { nodeId, at, up: false, error: "refused", durationMs: 1500 };
  const since = k >= RESTART_K ? k - RESTART_K : k;
  return {
    nodeId,
    at,
    up: true,
    restarted: k === RESTART_K,
    durationMs: 5,
    wsConnections: 10 + (k % 3),
    wssConnections: 20,
    registrations: 30,
    dialogsActive: 3,
    dialogsEarly: 1,
    rtpengineSessions: 4,
    callsAnswered: 3,
    socketsWithoutRegistration: k % 3 === 0 ? 2 : null,
    registrationsWithoutSocket: k % 3 === 0 ? 0 : null,
    branchRelayed: BigInt(5 * since),
    branchFailed: BigInt(Math.floor(since / 2)),
    wsHandshakesOk: BigInt(2 * since),
    wsHandshakesFailed: BigInt(Math.floor(since / 6)),
  };
}

function attempt(k: number): HandshakeAttempt {
  const ok = !down(k) && k % 6 !== 5;
  return {
    at: iso(T0 + k * STEP_MS + 1),
    url: "wss://edge/ws",
    outcome: down(k) ? "refused" : ok ? "ok" : "timeout",
    reason: ok ? null : "failed",
    tcpMs: ok ? 1 : null,
    tlsMs: null,
    upgradeMs: ok ? 2 : null,
    optionsMs: ok ? 3 : null,
    handshakeMs: ok ? 100 + ((k * 7) % 23) * 10 : null,
    httpStatus: ok ? 101 : null,
    sipStatus: ok ? 200 : null,
  };
}

/** p50/p95/max of the attempts in [fromMs, toMs) as lib/poller/handshake-windows.ts computes its 1 h window. */
function liveWindow(fromMs: number, toMs: number) {
  const windows = new HandshakeWindows();
  for (const a of attempts) if (Date.parse(a.at) >= fromMs && Date.parse(a.at) < toMs) windows.add(a);
  const hour = windows.summary(toMs - 1)?.windows.find((w) => w.window === "1h");
  if (!hour) throw new Error("no window");
  return hour;
}

const pointAt = (points: NodeHistoryPoint[], ms: number) => {
  const point = points.find((p) => p.at === iso(ms));
  if (!point) throw new Error(`no point at ${iso(ms)}`);
  return point;
};

beforeAll(async () => {
  database = await openTempPostgres("node_history");
  const db = database.prisma;
  nodeId = (
    await db.kamailioNode.create({ data: { name: "edge-h", rpcUrl: "http://edge-h/RPC", source: "cli" } })
  ).id;
  await db.sample.createMany({ data: Array.from({ length: SAMPLES }, (_, k) => sample(k)) });
  for (let k = 0; k < SAMPLES; k++) {
    const a = attempt(k);
    attempts.push(a);
    await writeHandshakeAttempt(db, nodeId, a);
  }
  // one bridge direction carrying all branches (the wall's sparkline reads the per-direction rollups)
  await db.$executeRaw`
    INSERT INTO branch_sample (sample_id, sample_at, direction, relayed, failed)
    SELECT id, at, 'wss_udp', branch_relayed, branch_failed FROM sample WHERE up`;
  await rollUp(db, { now: new Date(T0 + 2 * HOUR_MS + MINUTE_MS) });
});

afterAll(async () => {
  await database?.drop();
});

describe("node history (real PostgreSQL)", () => {
  it("rolls the handshake attempts up per minute and per hour with handshake-windows' nearest-rank rule", async () => {
    const db = database.prisma;
    for (const [table, widthMs] of [
      ["rollup_1m", MINUTE_MS],
      ["rollup_1h", HOUR_MS],
    ] as const) {
      const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT bucket, handshake_attempts, handshake_ok, handshake_p50_ms, handshake_p95_ms, handshake_max_ms,
                rtpengine_sessions_avg, calls_answered_last, sockets_without_registration_avg,
                sockets_without_registration_max
         FROM ${table} ORDER BY bucket`,
      );
      expect(rows).toHaveLength((2 * HOUR_MS) / widthMs);
      for (const row of rows) {
        const start = new Date(row.bucket as Date).getTime();
        const live = liveWindow(start, start + widthMs);
        expect(row.handshake_attempts, iso(start)).toBe(live.attempts);
        expect(row.handshake_ok, iso(start)).toBe(live.ok);
        expect(row.handshake_p50_ms, iso(start)).toBe(live.p50Ms);
        expect(row.handshake_p95_ms, iso(start)).toBe(live.p95Ms);
        expect(row.handshake_max_ms, iso(start)).toBe(live.maxMs);
        const isDown = widthMs === MINUTE_MS && down((start - T0) / STEP_MS);
        expect(row.rtpengine_sessions_avg).toBe(isDown ? null : 4);
        expect(row.calls_answered_last).toBe(isDown ? null : 3);
        // measured on every third sample only: the others are not zeros
        expect(row.sockets_without_registration_avg).toBe(isDown ? null : 2);
        expect(row.sockets_without_registration_max).toBe(isDown ? null : 2);
      }
    }
    // the hour with the down spell: 360 attempts, 60 refused, 50 timeouts
    const first = liveWindow(T0, T0 + HOUR_MS);
    expect(first).toMatchObject({ attempts: 360, ok: 250 });
    expect(first.p95Ms).not.toBeNull();
  });

  it("gives per-minute rates, latency, counters and down gaps from raw samples (1 h)", async () => {
    const history = await getNodeHistory(database.prisma, "edge-h", "1h", { now: new Date(T0 + HOUR_MS) });
    expect(history).not.toBeNull();
    if (!history) return;
    expect(history).toMatchObject({
      resolution: "raw",
      bucketMs: MINUTE_MS,
      handshakePercentilesExact: true,
    });
    expect(history.points).toHaveLength(61);
    const minute = (m: number) => pointAt(history.points, T0 + m * MINUTE_MS);
    // a full minute: 30 relayed, 3 failed
    expect(minute(10).branches).toEqual({ relayed: 30, failed: 3, rate: 0.1, verdict: "judged" });
    expect(minute(10)).toMatchObject({ up: true, ws: 11, rtpengineSessions: 4, callsAnswered: 3 });
    expect(minute(10)).toMatchObject({
      socketsWithoutRegistration: 2,
      wsHandshakesOk: 12,
      wsHandshakesFailed: 1,
    });
    // down: a gap in every number, the refused attempts still counted
    expect(minute(35)).toMatchObject({ up: false, ws: null, registrations: null, rtpengineSessions: null });
    expect(minute(35).branches.verdict).toBe("no_data");
    expect(minute(35).handshake).toEqual({ attempts: 6, failures: 6, p50Ms: null, p95Ms: null, maxMs: null });
    // back up (no restart while down): the delta over the down spell lands in its first minute
    expect(minute(40).branches).toEqual({
      relayed: 5 * (245 - 179),
      failed: 122 - 89,
      rate: 33 / 330,
      verdict: "judged",
    });
    // restart at 00:50:00: no delta on the restart sample, never negative
    expect(minute(50).branches).toEqual({ relayed: 25, failed: 2, rate: 0.08, verdict: "judged" });
    expect(minute(50).wsHandshakesOk).toBe(10);
    const live = liveWindow(T0 + 20 * MINUTE_MS, T0 + 21 * MINUTE_MS);
    expect(minute(20).handshake).toEqual({
      attempts: 6,
      failures: 1,
      p50Ms: live.p50Ms,
      p95Ms: live.p95Ms,
      maxMs: live.maxMs,
    });
    // the last bucket (at `now`) holds the sample taken at `now`
    expect(minute(60).up).toBe(true);
  });

  it("reads the same numbers from the 1-minute rollups, and sums them into wider buckets", async () => {
    const db = database.prisma;
    const now = new Date(T0 + 2 * HOUR_MS);
    const raw = await getNodeHistory(db, "edge-h", "1h", { now: new Date(T0 + HOUR_MS), resolution: "raw" });
    const rolled = await getNodeHistory(db, "edge-h", "24h", { now, resolution: "1m" });
    expect(rolled).toMatchObject({ resolution: "1m", bucketMs: MINUTE_MS, handshakePercentilesExact: true });
    for (const m of [10, 20, 35, 40, 50]) {
      const at = T0 + m * MINUTE_MS;
      expect(pointAt(rolled?.points ?? [], at), iso(at)).toEqual(pointAt(raw?.points ?? [], at));
    }
    // 7 days from 1-minute rollups: 7-minute buckets; a bucket across the restart still has no negative delta
    const week = await getNodeHistory(db, nodeId, "7d", { now, resolution: "1m" });
    expect(week).toMatchObject({ bucketMs: 7 * MINUTE_MS, handshakePercentilesExact: false });
    const across = (week?.points ?? []).filter((p) => p.branches.relayed !== null);
    expect(across.length).toBeGreaterThan(0);
    for (const p of across) expect(p.branches.relayed).toBeGreaterThanOrEqual(0);
  });

  it("reads hours from the 1-hour rollups, the handshake p95 computed from the attempts themselves", async () => {
    const history = await getNodeHistory(database.prisma, "edge-h", "30d", {
      now: new Date(T0 + 2 * HOUR_MS),
      resolution: "1h",
    });
    expect(history).toMatchObject({ resolution: "1h", bucketMs: HOUR_MS });
    const second = pointAt(history?.points ?? [], T0 + HOUR_MS);
    const live = liveWindow(T0 + HOUR_MS, T0 + 2 * HOUR_MS);
    expect(second.handshake).toEqual({
      attempts: live.attempts,
      failures: live.attempts - live.ok,
      p50Ms: live.p50Ms,
      p95Ms: live.p95Ms,
      maxMs: live.maxMs,
    });
    // the hour before T0 was not polled: no data, not down
    expect(pointAt(history?.points ?? [], T0 - HOUR_MS)).toMatchObject({
      up: null,
      ws: null,
      handshake: null,
    });
  });

  it("gives the wall's last-hour sparklines per minute, gaps where the node was down", async () => {
    const { series, from, to } = await getHealthSparklines(database.prisma, {
      now: new Date(T0 + HOUR_MS + 30_000),
    });
    expect({ from, to }).toEqual({ from: iso(T0), to: iso(T0 + HOUR_MS) });
    for (const key of ["branch-failure", "handshake", "sessions", "sockets"] as const) {
      expect(series[key], key).toHaveLength(60);
    }
    const at = (key: keyof typeof series, minute: number) => series[key][minute]?.value;
    expect(at("branch-failure", 10)).toBe(0.1);
    expect(at("branch-failure", 50)).toBe(0.08);
    expect(at("branch-failure", 40)).toBe(0.1); // 33 of 330 over the down spell
    expect(at("handshake", 20)).toBe(liveWindow(T0 + 20 * MINUTE_MS, T0 + 21 * MINUTE_MS).p95Ms);
    expect(at("sessions", 10)).toBe(1);
    expect(at("sockets", 10)).toBe(2);
    for (const key of ["branch-failure", "handshake", "sessions", "sockets"] as const) {
      expect(at(key, 35), key).toBeNull(); // down: a gap, not 0
    }
  });

  it("returns null for an unknown node", async () => {
    expect(await getNodeHistory(database.prisma, "no-such-node", "1h")).toBeNull();
  });

  it("deletes handshake attempts with the raw samples", async () => {
    const db = database.prisma;
    const now = new Date(T0 + 2 * HOUR_MS + MINUTE_MS);
    await applyRetention(
      db,
      { rawMs: HOUR_MS, oneMinuteMs: 30 * 24 * HOUR_MS, oneHourMs: 400 * 24 * HOUR_MS },
      { now },
    );
    // the cut is the newest 1-hour bucket's start (raw samples wait for the rollups): 01:00
    const left = await db.handshakeAttempt.aggregate({ _min: { at: true }, _count: true });
    const samplesLeft = await db.sample.aggregate({ _min: { at: true }, _count: true });
    expect(left._min.at?.getTime()).toBe(T0 + HOUR_MS + 1);
    expect(left._count).toBe(360);
    expect(samplesLeft).toMatchObject({ _min: { at: new Date(T0 + HOUR_MS) }, _count: 360 });
  });
});
