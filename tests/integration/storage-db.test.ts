import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, getOpenDatabase } from "@/lib/db";
import { createTempPostgres, type TempPostgres } from "../support/temp-postgres";
import { makeTempDir, removeDir } from "./storage-support";

// getDb() with each backend: opened once, migrated, and the schema round-trips what the poller writes.

async function exerciseSchema(): Promise<void> {
  const db = await getDb();
  const node = await db.kamailioNode.create({
    data: { name: "edge1", rpcUrl: "http://127.0.0.1:5080/RPC", source: "cli" },
  });
  const at = new Date("2026-11-26T10:00:00.123Z");
  const sample = await db.sample.create({
    data: {
      nodeId: node.id,
      at,
      up: true,
      durationMs: 42,
      wsConnections: 3,
      wssConnections: 7,
      tmx2xx: 9_007_199_254_740_993n,
    },
  });
  await db.branchSample.create({
    data: { sampleId: sample.id, sampleAt: sample.at, direction: "wss_udp", relayed: 5n, failed: 1n },
  });
  const branches = await db.branchSample.findMany({ where: { sampleId: sample.id, sampleAt: sample.at } });
  expect(sample.at.toISOString()).toBe("2026-11-26T10:00:00.123Z");
  expect(sample.tmx2xx).toBe(9_007_199_254_740_993n);
  expect(sample.registrations).toBeNull();
  expect(branches).toEqual([
    { sampleId: sample.id, sampleAt: at, direction: "wss_udp", relayed: 5n, failed: 1n },
  ]);

  const event = await db.event.create({
    data: {
      nodeId: node.id,
      kind: "node_down",
      severity: "critical",
      message: "no reply",
      detail: { error: "ECONNREFUSED" },
    },
  });
  expect(event.detail).toEqual({ error: "ECONNREFUSED" });

  // Removing a node removes its samples and keeps its events, detached. Branch rows have no key into the
  // partitioned sample table: they stay until retention drops their day (nothing reads them without their sample).
  await db.kamailioNode.delete({ where: { id: node.id } });
  expect(await db.sample.count()).toBe(0);
  expect(await db.branchSample.count()).toBe(1);
  expect(
    (await db.event.findUniqueOrThrow({ where: { id_at: { id: event.id, at: event.at } } })).nodeId,
  ).toBeNull();
}

describe("getDb() on PGlite (DATABASE_URL unset)", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = makeTempDir("getdb");
    delete process.env.DATABASE_URL;
    process.env.KAMDASH_DATA_DIR = dataDir;
  });
  afterAll(async () => {
    await closeDb();
    delete process.env.KAMDASH_DATA_DIR;
    removeDir(dataDir);
  });

  it("opens once for concurrent callers, migrates, and stores the schema's types", async () => {
    const [a, b] = await Promise.all([getDb(), getDb()]);
    expect(a).toBe(b);
    const open = await getOpenDatabase();
    expect(open.config).toEqual({ kind: "pglite", dataDir });
    expect(open.migrations.applied.length).toBeGreaterThan(0);
    await exerciseSchema();
  });

  it("closeDb() releases the folder; the next getDb() reopens it without re-migrating", async () => {
    await closeDb();
    const reopened = await getOpenDatabase();
    expect(reopened.migrations.applied).toEqual([]);
    expect(reopened.migrations.alreadyApplied.length).toBeGreaterThan(0);
  });
});

describe("getDb() on PostgreSQL (DATABASE_URL set)", () => {
  let database: TempPostgres;
  beforeAll(async () => {
    database = await createTempPostgres("getdb");
    process.env.DATABASE_URL = database.url;
  });
  afterAll(async () => {
    await closeDb();
    delete process.env.DATABASE_URL;
    await database.drop();
  });

  it("migrates the empty database and stores the schema's types", async () => {
    const open = await getOpenDatabase();
    expect(open.config).toEqual({ kind: "postgres", url: database.url });
    expect(open.migrations.applied.length).toBeGreaterThan(0);
    await exerciseSchema();
  });

  it("a failed open is not cached: the error is reported and a later call retries", async () => {
    await closeDb();
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kamdash_no_such_database";
    await expect(getDb()).rejects.toThrowError(/kamdash_no_such_database/);
    process.env.DATABASE_URL = database.url;
    const open = await getOpenDatabase();
    expect(open.migrations.applied).toEqual([]);
  });
});
