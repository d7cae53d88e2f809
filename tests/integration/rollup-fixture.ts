import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { type CounterColumn, getCounterDeltas } from "@/lib/metrics/queries/getCounterDeltas";
import { COUNTER_COLUMNS, GAUGE_COLUMNS } from "@/lib/metrics/rollup-columns";

// Samples for tests/integration/metrics-rollups.test.ts and a plain reference of what their rollups must hold.
// Node A, 4 h from T0 every 10 s: down 00:30-00:45 and 02:00-03:00, Kamailio restarted at 01:20:00 (counters
// from 0 again; dialogs_processed even jumps up, so only the restart mark stops that delta), tmx_2xx drops
// without a restart mark at 01:40:00, registrations not measured during 00:10 and at 00:11:00-00:11:20, no
// branch counters during 00:50, ws_failed_connections never read. Node B: the first hour, up, no branch counters.

export const T0 = Date.parse("2026-03-01T00:00:00.000Z");
export const STEP_MS = 10_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
const RESTART_K = 80 * 6; // 01:20:00
const DROP_K = 100 * 6; // 01:40:00

type Branch = { direction: string; relayed: bigint; failed: bigint };
export type FixtureSample = {
  data: Prisma.SampleCreateManyInput;
  branches: Branch[];
};

const isDownA = (minute: number) => (minute >= 30 && minute < 45) || (minute >= 120 && minute < 180);
/** Node A was down at `ms` (a gap in every chart). */
export const downA = (ms: number) => isDownA(Math.floor((ms - T0) / MINUTE_MS));

function sampleA(nodeId: number, k: number): FixtureSample {
  const minute = Math.floor(k / 6);
  const at = new Date(T0 + k * STEP_MS);
  if (isDownA(minute))
    return { data: { nodeId, at, up: false, error: "refused", durationMs: 1500 }, branches: [] };
  const after = k >= RESTART_K;
  const since = after ? k - RESTART_K : k; // samples since Kamailio (re)started counting
  const tmx = 3 * k - (k >= DROP_K ? 50 : 0);
  const hasBranches = minute !== 50;
  const branches: Branch[] = hasBranches
    ? [
        { direction: "wss_udp", relayed: BigInt(10 + 3 * since), failed: BigInt(Math.floor(since / 4)) },
        { direction: "udp_wss", relayed: BigInt(5 + since), failed: BigInt(Math.floor(since / 10)) },
      ]
    : [];
  const registrationsMissing = minute === 10 || (k >= 66 && k < 69);
  return {
    data: {
      nodeId,
      at,
      up: true,
      restarted: k === RESTART_K,
      durationMs: 5 + (k % 3),
      wsConnections: 100 + (k % 7),
      wssConnections: 50 + (k % 3),
      registrations: registrationsMissing ? null : 200 + (k % 5),
      aors: 100,
      dialogsActive: k % 4,
      dialogsEarly: 0,
      rtpengineUp: 1,
      rtpengineTotal: 1,
      transactionsActive: k % 2,
      wsHandshakesOk: BigInt(1000 * (after ? 0 : 1) + 2 * since),
      wsHandshakesFailed: BigInt(Math.floor(since / 6)),
      dialogsProcessed: BigInt(after ? 500 + since : 10 + Math.floor(k / 6)),
      dialogsFailed: BigInt(0),
      tmx2xx: BigInt(after ? tmx - 3 * RESTART_K + 7 : tmx + 7),
      tmx4xx: BigInt(since),
      tmx5xx: BigInt(0),
      tmx6xx: BigInt(0),
      branchRelayed: hasBranches ? branches.reduce((sum, b) => sum + b.relayed, 0n) : null,
      branchFailed: hasBranches ? branches.reduce((sum, b) => sum + b.failed, 0n) : null,
    },
    branches,
  };
}

function sampleB(nodeId: number, k: number): FixtureSample {
  const at = new Date(T0 + k * STEP_MS);
  return {
    data: {
      nodeId,
      at,
      up: true,
      durationMs: 4,
      wsConnections: 7,
      wssConnections: 3 + (k % 2),
      registrations: 9,
    },
    branches: [],
  };
}

export function fixtureSamples(nodeA: number, nodeB: number): FixtureSample[] {
  return [
    ...Array.from({ length: (4 * HOUR_MS) / STEP_MS }, (_, k) => sampleA(nodeA, k)),
    ...Array.from({ length: HOUR_MS / STEP_MS }, (_, k) => sampleB(nodeB, k)),
  ];
}

// ---- reference (plain TypeScript, independent of the SQL): gauges of a rollup row

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const bucketOf = (at: Date, widthMs: number) => Math.floor(at.getTime() / widthMs) * widthMs;

export type RefRow = Record<string, number | bigint | Date | null>;

/** Per node and bucket: samples, up_samples, and min/avg/max/last of each gauge over up samples (snake_case). */
export function referenceGauges(samples: FixtureSample[], widthMs: number): Map<string, RefRow> {
  const groups = new Map<string, Prisma.SampleCreateManyInput[]>();
  for (const { data } of samples) {
    const key = `${data.nodeId} ${bucketOf(data.at as Date, widthMs)}`;
    groups.set(key, [...(groups.get(key) ?? []), data]);
  }
  const rows = new Map<string, RefRow>();
  for (const [key, group] of groups) {
    const up = group.filter((s) => s.up);
    const row: RefRow = { samples: group.length, up_samples: up.length };
    for (const gauge of GAUGE_COLUMNS) {
      const values = up
        .map((s) => (s as Record<string, unknown>)[camel(gauge)])
        .filter((v): v is number => typeof v === "number");
      const sum = values.reduce((a, b) => a + b, 0);
      row[`${gauge}_min`] = values.length ? Math.min(...values) : null;
      row[`${gauge}_avg`] = values.length ? sum / values.length : null;
      row[`${gauge}_max`] = values.length ? Math.max(...values) : null;
      row[`${gauge}_last`] = values.at(-1) ?? null;
    }
    for (const counter of ["branch_relayed", "branch_failed"]) {
      const last = up.map((s) => (s as Record<string, unknown>)[camel(counter)]).filter((v) => v != null);
      row[`${counter}_last`] = (last.at(-1) as bigint | undefined) ?? null;
    }
    rows.set(key, row);
  }
  return rows;
}

/** Per node, bucket and direction: relayed/failed delta sums (previous up sample, no restart, no drop, no null). */
export function referenceBranches(samples: FixtureSample[], widthMs: number): Map<string, RefRow> {
  const rows = new Map<string, RefRow>();
  const byNode = new Map<number, FixtureSample[]>();
  for (const s of samples)
    if (s.data.up) byNode.set(s.data.nodeId, [...(byNode.get(s.data.nodeId) ?? []), s]);
  for (const [nodeId, ups] of byNode) {
    const directions = [...new Set(ups.flatMap((s) => s.branches.map((b) => b.direction)))];
    for (const direction of directions) {
      let previous: Branch | undefined;
      for (const s of ups) {
        const current = s.branches.find((b) => b.direction === direction);
        const key = `${nodeId} ${bucketOf(s.data.at as Date, widthMs)} ${direction}`;
        const row = rows.get(key) ?? { relayed: null, failed: null };
        for (const field of ["relayed", "failed"] as const) {
          if (!current || !previous || s.data.restarted || current[field] < previous[field]) continue;
          row[field] = ((row[field] as bigint | null) ?? 0n) + (current[field] - previous[field]);
        }
        rows.set(key, row);
        previous = current;
      }
    }
  }
  return rows;
}

export const COUNTER_DELTA_COLUMNS = COUNTER_COLUMNS.map((c) => ({
  column: `${c}_delta`,
  counter: camel(c) as CounterColumn,
}));

/** Per "node bucketMs": the sum of getCounterDeltas' deltas of the samples in that bucket (null: none known). */
export async function counterSumsByBucket(
  db: PrismaClient,
  nodeIds: number[],
  counter: CounterColumn,
  widthMs: number,
): Promise<Map<string, bigint | null>> {
  const sums = new Map<string, bigint | null>();
  for (const nodeId of nodeIds) {
    const range = { nodeId, from: new Date(T0), to: new Date(T0 + 5 * HOUR_MS) };
    for (const { at, delta } of await getCounterDeltas(db, { ...range, counter })) {
      const key = `${nodeId} ${bucketOf(at, widthMs)}`;
      const sum = sums.get(key) ?? null;
      sums.set(key, delta === null ? sum : (sum ?? 0n) + BigInt(delta));
    }
  }
  return sums;
}

/** Creates nodes edge-a and edge-b and writes the fixture's samples and branch rows. */
export async function insertFixture(db: PrismaClient) {
  const node = async (name: string) =>
    (await db.kamailioNode.create({ data: { name, rpcUrl: `http://${name}/RPC`, source: "cli" } })).id;
  const nodeA = await node("edge-a");
  const nodeB = await node("edge-b");
  const samples = fixtureSamples(nodeA, nodeB);
  const created = await db.sample.createManyAndReturn({
    data: samples.map((s) => s.data),
    select: { id: true, nodeId: true, at: true },
  });
  const ids = new Map(created.map((row) => [`${row.nodeId} ${row.at.getTime()}`, row.id]));
  const idOf = (s: FixtureSample) => ids.get(`${s.data.nodeId} ${(s.data.at as Date).getTime()}`) ?? 0n;
  await db.branchSample.createMany({
    data: samples.flatMap((s) =>
      s.branches.map((b) => ({ sampleId: idOf(s), sampleAt: s.data.at as Date, ...b })),
    ),
  });
  return { nodeA, nodeB, samples };
}

/** Average of node A's ws over its up samples in [fromMs, toMs); null when none. */
export function upAvgA(samples: FixtureSample[], nodeA: number, fromMs: number, toMs: number): number | null {
  const values = samples
    .filter((s) => s.data.nodeId === nodeA && s.data.up)
    .filter((s) => (s.data.at as Date).getTime() >= fromMs && (s.data.at as Date).getTime() < toMs)
    .map((s) => s.data.wsConnections as number);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

// ---- reading tables back

export type Row = Record<string, unknown>;
export const ROLLUP_TABLE_NAMES = ["rollup_1m", "rollup_1h", "branch_rollup_1m", "branch_rollup_1h"] as const;

export async function rowsOf(db: PrismaClient, table: string): Promise<Row[]> {
  const order = table.startsWith("branch") ? "node_id, bucket, direction" : "node_id, bucket";
  return db.$queryRawUnsafe<Row[]>(`SELECT * FROM ${table} ORDER BY ${order}`);
}

/** "node bucketMs [direction]", the keys of the reference maps. */
export const keyOf = (row: Row) =>
  [row.node_id, (row.bucket as Date).getTime(), ...(row.direction ? [row.direction] : [])].join(" ");

export const pick = (row: Row, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k]]));

/** Rows of `table` with `column` before / from `cutoffMs`. */
export async function countAround(db: PrismaClient, table: string, column: string, cutoffMs: number) {
  const rows = await db.$queryRawUnsafe<{ older: bigint; newer: bigint }[]>(
    `SELECT count(*) FILTER (WHERE ${column} < $1) AS older, count(*) FILTER (WHERE ${column} >= $1) AS newer
     FROM ${table}`,
    new Date(cutoffMs),
  );
  return { older: Number(rows[0]?.older), newer: Number(rows[0]?.newer) };
}
