import { cpSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DatabaseConfig } from "@/lib/db/config";
import { type OpenDatabase, openDatabase } from "@/lib/db/open";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { DAY_MS, dropPartitionsBefore, ensurePartitions, listDayPartitions } from "@/lib/metrics/partitions";
import { applyRetention } from "@/lib/metrics/retention";
import { createTempPostgres } from "../support/temp-postgres";
import { makeTempDir, REPO_MIGRATIONS_DIR, removeDir } from "./storage-support";

// sample, branch_sample and event are partitioned by UTC day (migration 20261201031014_partition_history,
// lib/metrics/partitions.ts), on both backends: the migration converts tables that hold data, the maintenance job
// makes day partitions ahead and moves rows stranded in a default partition, and retention drops whole days.

const PARTITION_MIGRATION = "20261201031014_partition_history";
/** A day far from the real one, so only the test's own partitions hold its rows. */
const NOW = Date.UTC(2030, 0, 10, 12, 0, 0);

type Backend = { config: DatabaseConfig; cleanup(): Promise<void> };
const backends: { name: string; make(): Promise<Backend> }[] = [
  {
    name: "PostgreSQL 127.0.0.1:5432",
    async make() {
      const database = await createTempPostgres("partitions");
      return { config: { kind: "postgres", url: database.url }, cleanup: database.drop };
    },
  },
  {
    name: "PGlite (PostgreSQL 17 in wasm)",
    async make() {
      const dir = makeTempDir("partitions");
      return { config: { kind: "pglite", dataDir: dir }, cleanup: async () => removeDir(dir) };
    },
  },
];

/** The repository's migrations before the partitioning one (the schema as it was). */
function migrationsBeforePartitioning(): string {
  const dir = makeTempDir("migrations-before");
  for (const name of readdirSync(REPO_MIGRATIONS_DIR)) {
    if (name >= PARTITION_MIGRATION && !name.endsWith(".toml")) continue;
    cpSync(path.join(REPO_MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
  }
  return dir;
}

async function addNode(db: PrismaClient): Promise<number> {
  return (
    await db.kamailioNode.create({
      data: { name: "edge1", rpcUrl: "http://127.0.0.1:5080/RPC", source: "cli" },
    })
  ).id;
}

async function addSamples(db: PrismaClient, nodeId: number, ats: number[]): Promise<void> {
  const rows = await db.sample.createManyAndReturn({
    data: ats.map((at) => ({ nodeId, at: new Date(at), up: true, durationMs: 5, wsConnections: 3 })),
    select: { id: true, at: true },
  });
  await db.branchSample.createMany({
    data: rows.map((row) => ({
      sampleId: row.id,
      sampleAt: row.at,
      direction: "wss_udp",
      relayed: 1n,
      failed: 0n,
    })),
  });
  await db.event.createMany({
    data: ats.map((at) => ({ nodeId, at: new Date(at), kind: "node_up", severity: "info", message: "test" })),
  });
}

const relkind = async (db: PrismaClient, name: string) =>
  (
    await db.$queryRaw<
      { k: string | null }[]
    >`SELECT (SELECT relkind::text FROM pg_class WHERE relname = ${name}) AS k`
  )[0]?.k ?? null;

describe.each(backends)("day partitions on $name", ({ make }) => {
  let backend: Backend | null = null;
  let open: OpenDatabase | null = null;
  afterEach(async () => {
    await open?.close();
    open = null;
    await backend?.cleanup();
    backend = null;
  });

  it("the migration converts tables holding data: rows copied, ids go on, one partition per day", async () => {
    backend = await make();
    const before = migrationsBeforePartitioning();
    open = await openDatabase(backend.config, { migrationsDir: before });
    const old = open.prisma;
    const nodeId = await addNode(old);
    const day1 = Date.UTC(2026, 10, 20, 10);
    await old.$executeRaw`INSERT INTO sample (node_id, at, up, duration_ms) VALUES
      (${nodeId}, ${new Date(day1)}, true, 4), (${nodeId}, ${new Date(day1 + DAY_MS)}, false, 9)`;
    await old.$executeRaw`INSERT INTO branch_sample (sample_id, direction, relayed, failed)
      SELECT id, 'wss_udp', 7, 1 FROM sample`;
    await old.$executeRaw`INSERT INTO event (node_id, at, kind, severity, message)
      VALUES (${nodeId}, ${new Date(day1)}, 'node_down', 'critical', 'old')`;
    await open.close();
    removeDir(before);

    open = await openDatabase(backend.config, { migrationsDir: REPO_MIGRATIONS_DIR });
    const db = open.prisma;
    expect(open.migrations.applied).toContain(PARTITION_MIGRATION);
    expect(await relkind(db, "sample")).toBe("p");
    expect(await relkind(db, "branch_sample")).toBe("p");
    expect(await relkind(db, "event")).toBe("p");
    expect(await relkind(db, "sample_default")).toBe("r");
    expect((await listDayPartitions(db, "sample")).map((p) => p.name).slice(0, 2)).toEqual([
      "sample_p20261120",
      "sample_p20261121",
    ]);
    const samples = await db.sample.findMany({ orderBy: { at: "asc" } });
    expect(samples.map((s) => [s.at.getTime(), s.up, s.durationMs])).toEqual([
      [day1, true, 4],
      [day1 + DAY_MS, false, 9],
    ]);
    const branches = await db.branchSample.findMany({ orderBy: { sampleAt: "asc" } });
    expect(branches.map((b) => [b.sampleId, b.sampleAt.getTime(), b.relayed])).toEqual(
      samples.map((s) => [s.id, s.at.getTime(), 7n]),
    );
    expect(await db.event.count({ where: { kind: "node_down", message: "old" } })).toBe(1);
    // the sequence goes on where the old table stopped
    const next = await db.sample.create({ data: { nodeId, at: new Date(NOW), up: true, durationMs: 1 } });
    expect(next.id).toBeGreaterThan(samples.at(-1)?.id ?? 0n);
  }, 60_000);

  it("makes partitions ahead, moves rows out of the default partition, and retention drops whole days", async () => {
    backend = await make();
    open = await openDatabase(backend.config, { migrationsDir: REPO_MIGRATIONS_DIR });
    const db = open.prisma;
    const nodeId = await addNode(db);
    const days = [3, 2, 1].map((n) => NOW - n * DAY_MS);
    // no partition covers 2030 yet: the writes land in the default partitions, none fails
    await addSamples(db, nodeId, days);
    await addSamples(db, nodeId, [(days[0] ?? 0) + 1000]);
    expect(await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM sample_default`).toEqual([
      { n: 4n },
    ]);

    const report = await ensurePartitions(db, { now: new Date(NOW) });
    expect(report.sample.created).toEqual([
      "sample_p20300107",
      "sample_p20300108",
      "sample_p20300109",
      "sample_p20300110",
      "sample_p20300111",
      "sample_p20300112",
      "sample_p20300113",
    ]);
    expect(report.sample.movedFromDefault).toBe(4);
    expect(report.branch_sample.movedFromDefault).toBe(4);
    expect(report.event.movedFromDefault).toBe(4);
    for (const table of ["sample_default", "branch_sample_default", "event_default"]) {
      expect(await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table}`)).toEqual([
        { n: 0n },
      ]);
    }
    expect((await ensurePartitions(db, { now: new Date(NOW) })).sample.created).toEqual([]); // idempotent
    // indexes and the node key came with ATTACH
    const indexes = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'sample_p20300107'`;
    expect(indexes[0]?.n).toBe(3n);

    // the rollups have read everything: the raw cutoff is now - 2 days = 2030-01-08 12:00
    const recent = new Date(NOW - 60_000);
    await db.$executeRaw`INSERT INTO rollup_1m (node_id, bucket, samples, up_samples) VALUES (${nodeId}, ${recent}, 1, 1)`;
    await db.$executeRaw`INSERT INTO rollup_1h (node_id, bucket, samples, up_samples) VALUES (${nodeId}, ${recent}, 1, 1)`;
    const retention = await applyRetention(
      db,
      { rawMs: 2 * DAY_MS, oneMinuteMs: 2 * DAY_MS, oneHourMs: 400 * DAY_MS },
      { now: new Date(NOW) },
    );
    // 2030-01-07 ended before the cutoff: dropped whole; 2030-01-08 holds rows newer than it and stays
    expect(retention.raw).toEqual({ cutoff: new Date(NOW - 2 * DAY_MS).toISOString(), deleted: 2 });
    for (const table of ["sample", "branch_sample", "event"]) {
      expect(await relkind(db, `${table}_p20300107`)).toBeNull();
      expect(await relkind(db, `${table}_p20300108`)).toBe("r");
    }
    expect((await db.sample.findMany({ orderBy: { at: "asc" } })).map((s) => s.at.getTime())).toEqual(
      days.slice(1),
    );
    expect(await db.branchSample.count()).toBe(2);
    expect(await db.event.count()).toBe(2);
    // a row left in the default partition past the cutoff is deleted
    await db.$executeRaw`INSERT INTO sample_default (node_id, at, up, duration_ms) VALUES (${nodeId}, '2001-01-01', true, 1)`;
    expect(await dropPartitionsBefore(db, "sample", NOW - 2 * DAY_MS)).toEqual({ removed: 1, dropped: [] });
  }, 60_000);
});
