import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMaintenance } from "@/lib/metrics/maintenance";
import { getOverviewHistory } from "@/lib/metrics/queries/getOverviewHistory";
import { getRetentionHorizons } from "@/lib/metrics/queries/getRetentionHorizons";
import { getSeries, type SeriesQuery } from "@/lib/metrics/queries/getSeries";
import { applyRetention } from "@/lib/metrics/retention";
import { rollUp } from "@/lib/metrics/rollup";
import { type OpenTempPostgres, openTempPostgres } from "../support/temp-postgres";
import {
  COUNTER_DELTA_COLUMNS,
  countAround,
  counterSumsByBucket,
  downA,
  type FixtureSample,
  HOUR_MS,
  insertFixture,
  keyOf,
  MINUTE_MS,
  pick,
  ROLLUP_TABLE_NAMES,
  referenceBranches,
  referenceGauges,
  rowsOf as rowsOfTable,
  T0,
  upAvgA,
} from "./rollup-fixture";

const DAY_MS = 24 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();
let database: OpenTempPostgres;
let nodeA: number;
let nodeB: number;
let samples: FixtureSample[];

const tables = ROLLUP_TABLE_NAMES;
const rowsOf = (table: string) => rowsOfTable(database.prisma, table);
const WIDTHS = [
  ["1m", MINUTE_MS],
  ["1h", HOUR_MS],
] as const;
/** A table's rows by "node bucketMs [direction]". */
const byKey = async (table: string) => new Map((await rowsOf(table)).map((row) => [keyOf(row), row]));
const seriesA = (metric: SeriesQuery["metric"], fromMs: number, toMs: number) =>
  getSeries(database.prisma, { nodeId: nodeA, metric, from: new Date(fromMs), to: new Date(toMs) });

beforeAll(async () => {
  database = await openTempPostgres("rollups");
  ({ nodeA, nodeB, samples } = await insertFixture(database.prisma));
});

afterAll(async () => {
  await database?.drop();
});

describe("rollups (real PostgreSQL)", () => {
  it("rolls finished buckets up incrementally, and running it again changes nothing", async () => {
    const db = database.prisma;
    const first = await rollUp(db, { now: new Date(T0 + 90 * MINUTE_MS) });
    expect(first["1m"]).toMatchObject({ from: iso(T0), until: iso(T0 + 89 * MINUTE_MS) });
    expect(first["1h"]).toMatchObject({ from: iso(T0), until: iso(T0 + HOUR_MS) });
    // rows past the rollup job's progress come from raw samples, bucketed the same way
    const beforeRest = await seriesA("ws", T0 + 4 * HOUR_MS - DAY_MS, T0 + 4 * HOUR_MS);

    await rollUp(db, { now: new Date(T0 + 5 * HOUR_MS) });
    const snapshot = await Promise.all(tables.map(rowsOf));
    const again = await rollUp(db, { now: new Date(T0 + 5 * HOUR_MS) });
    expect([again["1m"].chunks, again["1h"].chunks]).toEqual([0, 0]);
    const rebuilt = await rollUp(db, { now: new Date(T0 + 5 * HOUR_MS), rebuildFrom: new Date(T0) });
    expect([rebuilt["1m"].from, rebuilt["1m"].until]).toEqual([iso(T0), iso(T0 + 299 * MINUTE_MS)]);
    expect(await Promise.all(tables.map(rowsOf))).toEqual(snapshot);
    expect(snapshot.map((rows) => rows.length)).toEqual([240 + 60, 4 + 1, 2 * 165, 2 * 3]);

    const afterRest = await seriesA("ws", T0 + 4 * HOUR_MS - DAY_MS, T0 + 4 * HOUR_MS);
    expect(afterRest).toEqual(beforeRest);
  });

  it("stores exact min/avg/max/last over up samples; a bucket with no up sample is a gap", async () => {
    for (const [resolution, widthMs] of WIDTHS) {
      const table = `rollup_${resolution}`;
      const reference = referenceGauges(samples, widthMs);
      const actual = await byKey(table);
      expect([...actual.keys()]).toEqual([...reference.keys()]);
      for (const [key, expected] of reference) {
        expect(pick(actual.get(key) ?? {}, Object.keys(expected)), `${table} ${key}`).toEqual(expected);
      }
    }
    const minute = await byKey("rollup_1m");
    const at = (ms: number) => minute.get(`${nodeA} ${ms}`) ?? {};
    expect(at(T0 + 30 * MINUTE_MS)).toMatchObject({
      samples: 6,
      up_samples: 0,
      ws_connections_min: null,
      ws_connections_avg: null,
      duration_ms_max: null,
      ws_handshakes_ok_delta: null,
    });
    // up, but registrations not measured for the whole minute / for 3 of its 6 samples
    expect(at(T0 + 10 * MINUTE_MS)).toMatchObject({ up_samples: 6, registrations_avg: null, aors_avg: 100 });
    expect(at(T0 + 11 * MINUTE_MS)).toMatchObject({
      registrations_min: 200, // k = 69..71: 204, 200, 201
      registrations_avg: 605 / 3,
      registrations_max: 204,
      registrations_last: 201,
    });
    const hour = await byKey("rollup_1h");
    expect(hour.get(`${nodeA} ${T0 + 2 * HOUR_MS}`)).toMatchObject({
      samples: 360,
      up_samples: 0,
      ws_connections_avg: null,
      branch_relayed_delta: null,
      branch_relayed_last: null,
    });
  });

  it("sums counter deltas with getCounterDeltas' rule: none across a restart or a drop, never negative", async () => {
    for (const [resolution, widthMs] of WIDTHS) {
      const table = `rollup_${resolution}`;
      const actual = await rowsOf(table);
      for (const { column, counter } of COUNTER_DELTA_COLUMNS) {
        const expected = await counterSumsByBucket(database.prisma, [nodeA, nodeB], counter, widthMs);
        for (const row of actual) {
          expect(row[column], `${table} ${keyOf(row)} ${column}`).toBe(expected.get(keyOf(row)) ?? null);
          if (row[column] !== null) expect(row[column] as bigint).toBeGreaterThanOrEqual(0n);
        }
      }
    }
    const minute = await byKey("rollup_1m");
    const at = (ms: number) => minute.get(`${nodeA} ${ms}`) ?? {};
    // restart at 01:20:00: its own sample has no delta (dialogs_processed jumped from 90 to 500 there)
    expect(at(T0 + 80 * MINUTE_MS)).toMatchObject({
      ws_handshakes_ok_delta: 10n,
      dialogs_processed_delta: 5n,
    });
    // tmx_2xx went down at 01:40:00 without a restart mark: that delta is dropped, the 5 others kept
    expect(at(T0 + 100 * MINUTE_MS)).toMatchObject({ tmx_2xx_delta: 15n });
    // a counter never read stays unknown; the growth over a down gap lands after it, as getCounterDeltas has it
    expect(at(T0 + 45 * MINUTE_MS)).toMatchObject({
      ws_failed_connections_delta: null,
      ws_handshakes_ok_delta: 192n,
    });
    const hour = await byKey("rollup_1h");
    expect(hour.get(`${nodeA} ${T0 + HOUR_MS}`)).toMatchObject({ ws_handshakes_ok_delta: 718n });
  });

  it("sums per-direction branch deltas per bucket", async () => {
    for (const [resolution, widthMs] of WIDTHS) {
      const reference = referenceBranches(samples, widthMs);
      const actual = await rowsOf(`branch_rollup_${resolution}`);
      expect(new Map(actual.map((row) => [keyOf(row), pick(row, ["relayed", "failed"])]))).toEqual(reference);
    }
    const minute = await byKey("branch_rollup_1m");
    expect(minute.get(`${nodeA} ${T0 + 50 * MINUTE_MS} wss_udp`)).toMatchObject({
      relayed: null,
      failed: null,
    });
    expect(minute.get(`${nodeA} ${T0 + 51 * MINUTE_MS} wss_udp`)).toMatchObject({ relayed: 15n });
  });
});

describe("history queries pick their resolution from the range", () => {
  const end = T0 + 4 * HOUR_MS;
  const gap = (p: { at: string }) => downA(Date.parse(p.at));
  const upAvg = (fromMs: number, toMs: number) => upAvgA(samples, nodeA, fromMs, toMs);

  it("1 hour: raw samples, every sample, nulls while down", async () => {
    const series = await seriesA("ws", T0 + 25 * MINUTE_MS, T0 + 85 * MINUTE_MS);
    expect([series.resolution, series.bucketMs, series.points.length]).toEqual(["raw", 0, 360]);
    expect(series.points[0]).toEqual({ at: iso(T0 + 25 * MINUTE_MS), value: 103, up: true });
    for (const p of series.points) expect(p.value === null).toBe(gap(p));
    expect(series.points.filter((p) => !p.up).length).toBe(15 * 6);
  });

  it("24 hours and 7 days: 1-minute rollups (7 days in 7-minute buckets), gaps where down", async () => {
    const day = await seriesA("ws", end - DAY_MS, end);
    expect([day.resolution, day.bucketMs, day.points.length]).toEqual(["1m", MINUTE_MS, 240]);
    for (const p of day.points) {
      const ms = Date.parse(p.at);
      expect(p).toEqual({ at: p.at, value: upAvg(ms, ms + MINUTE_MS), up: !gap(p) });
    }
    const counter = await seriesA("branchRelayed", end - DAY_MS, end);
    expect(counter.points[0]).toEqual({ at: iso(T0), value: 35, up: true }); // last reading of 00:00
    // 00:50 had no branch counters: no reading, though up
    expect(counter.points.find((p) => p.at === iso(T0 + 50 * MINUTE_MS))).toMatchObject({
      value: null,
      up: true,
    });

    const week = await seriesA("ws", end - 7 * DAY_MS, end);
    expect([week.resolution, week.bucketMs]).toEqual(["1m", 7 * MINUTE_MS]);
    for (const p of week.points) {
      const ms = Date.parse(p.at);
      const expected = upAvg(ms, ms + 7 * MINUTE_MS);
      expect(p.up).toBe(expected !== null);
      if (expected === null) expect(p.value).toBeNull();
      else expect(p.value).toBeCloseTo(expected, 9);
    }
    expect(week.points.some((p) => !p.up && Date.parse(p.at) > T0 + 2 * HOUR_MS)).toBe(true);
  });

  it("30 days: 1-hour rollups; the overview picks the same way", async () => {
    const month = await seriesA("ws", end - 30 * DAY_MS, end);
    expect([month.resolution, month.bucketMs]).toEqual(["1h", HOUR_MS]);
    expect(month.points.map((p) => [p.at, p.up])).toEqual([
      [iso(T0), true],
      [iso(T0 + HOUR_MS), true],
      [iso(T0 + 2 * HOUR_MS), false],
      [iso(T0 + 3 * HOUR_MS), true],
    ]);
    expect(month.points.map((p) => p.value)).toEqual(
      [0, 1, 2, 3].map((h) => upAvg(T0 + h * HOUR_MS, T0 + (h + 1) * HOUR_MS)),
    );

    const history = await getOverviewHistory(database.prisma, { now: new Date(end), rangeMs: 30 * DAY_MS });
    expect([history.resolution, history.bucketMs]).toEqual(["1h", HOUR_MS]);
    const [a, b] = history.nodes;
    expect(a?.points.map((p) => [p.at, p.up, p.ws === null])).toEqual([
      [iso(T0), true, false],
      [iso(T0 + HOUR_MS), true, false],
      [iso(T0 + 2 * HOUR_MS), false, true],
      [iso(T0 + 3 * HOUR_MS), true, false],
    ]);
    expect(b?.points.map((p) => [p.at, p.ws, p.wss, p.dialogsActive])).toEqual([
      [iso(T0), { avg: 7, max: 7 }, { avg: 3.5, max: 4 }, null],
    ]);
    const ranges = [HOUR_MS, DAY_MS, 7 * DAY_MS];
    const picked = await Promise.all(
      ranges.map((rangeMs) => getOverviewHistory(database.prisma, { now: new Date(end), rangeMs })),
    );
    expect(picked.map((h) => [h.resolution, h.bucketMs])).toEqual([
      ["raw", MINUTE_MS],
      ["1m", MINUTE_MS],
      ["1m", 7 * MINUTE_MS],
    ]);
  });
});

describe("retention", () => {
  const db = () => database.prisma;
  const count = (table: string, column: string, cutoffMs: number) =>
    countAround(db(), table, column, cutoffMs);

  it("deletes exactly what is older than each setting and records where it cut", async () => {
    const now = T0 + 2 * DAY_MS + 90 * MINUTE_MS;
    const config = { rawMs: 2 * DAY_MS, oneMinuteMs: 2 * DAY_MS + HOUR_MS, oneHourMs: 2 * DAY_MS };
    const cut = { raw: T0 + 90 * MINUTE_MS, "1m": T0 + 30 * MINUTE_MS, "1h": T0 + 90 * MINUTE_MS };
    const before = {
      sample: await count("sample", "at", cut.raw),
      m: await count("rollup_1m", "bucket", cut["1m"]),
      bm: await count("branch_rollup_1m", "bucket", cut["1m"]),
      h: await count("rollup_1h", "bucket", cut["1h"]),
    };
    const report = await applyRetention(db(), config, { now: new Date(now) });
    expect(report).toEqual({
      raw: { cutoff: iso(cut.raw), deleted: before.sample.older },
      "1m": { cutoff: iso(cut["1m"]), deleted: before.m.older + before.bm.older },
      "1h": { cutoff: iso(cut["1h"]), deleted: before.h.older + 4 },
    });
    expect(await count("sample", "at", cut.raw)).toEqual({ older: 0, newer: before.sample.newer });
    expect(await count("rollup_1m", "bucket", cut["1m"])).toEqual({ older: 0, newer: before.m.newer });
    expect(await count("branch_rollup_1m", "bucket", cut["1m"])).toEqual({
      older: 0,
      newer: before.bm.newer,
    });
    expect(await count("rollup_1h", "bucket", cut["1h"])).toEqual({ older: 0, newer: before.h.newer });
    const orphans = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM branch_sample b LEFT JOIN sample s ON s.id = b.sample_id WHERE s.id IS NULL`;
    expect(orphans[0]?.n).toBe(0n);
    expect(await getRetentionHorizons(db())).toEqual({
      raw: new Date(cut.raw),
      "1m": new Date(cut["1m"]),
      "1h": new Date(cut["1h"]),
    });
    // raw samples no longer reach back to 01:00, so an hour from there reads the 1-minute rollup
    expect((await seriesA("ws", T0 + HOUR_MS, T0 + 2 * HOUR_MS)).resolution).toBe("1m");
    expect((await seriesA("ws", T0 + 3 * HOUR_MS, T0 + 4 * HOUR_MS)).resolution).toBe("raw");
  });

  it("never deletes raw samples the rollups have not read yet", async () => {
    const report = await applyRetention(
      db(),
      { rawMs: 2 * DAY_MS, oneMinuteMs: 400 * DAY_MS, oneHourMs: 400 * DAY_MS },
      { now: new Date(T0 + 30 * DAY_MS) },
    );
    // the newest 1-hour bucket starts at 03:00: its samples (and everything after) stay
    expect(report.raw.cutoff).toBe(iso(T0 + 3 * HOUR_MS));
    expect(await count("sample", "at", T0 + 3 * HOUR_MS)).toEqual({ older: 0, newer: 360 });
  });

  it("runs as the scheduler's job keyed maintenance", async () => {
    const maintenance = createMaintenance({
      db: db(),
      retention: { rawMs: DAY_MS, oneMinuteMs: DAY_MS, oneHourMs: DAY_MS },
    });
    await maintenance.start();
    expect(maintenance.keys()).toEqual(["maintenance"]);
    await maintenance.stopAll();
  });
});
