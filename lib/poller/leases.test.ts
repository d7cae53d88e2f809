import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "@/lib/db/open";
import type { Db } from "@/lib/metrics/db";
import { claimLease, heldByOther, leaseMs, releaseLeases, stillHoldsLease } from "./leases";

// The lease statements on the embedded PGlite (same SQL as PostgreSQL); two replicas sharing PostgreSQL for real are
// in tests/integration/fault-replica-killed.test.ts.

let open: OpenDatabase;
let dir: string;
let db: Db;
let nodeId: number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kamdash-leases-"));
  open = await openDatabase({ kind: "pglite", dataDir: dir });
  db = open.prisma;
  nodeId = (
    await db.kamailioNode.create({ data: { name: "n1", rpcUrl: "http://127.0.0.1:1/RPC", source: "cli" } })
  ).id;
}, 60_000);

afterAll(async () => {
  await open?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("node leases", () => {
  it("lasts 1.5 intervals minus 100 ms", () => {
    expect(leaseMs(1000)).toBe(1400);
    expect(leaseMs(2000)).toBe(2900);
  });

  it("gives a node to one replica until its lease runs out, then to the next with a new epoch", async () => {
    expect(await claimLease(db, nodeId, "a", 300)).toEqual({ held: true, epoch: 1n });
    const refused = await claimLease(db, nodeId, "b", 300);
    expect(refused.held).toBe(false);
    if (!refused.held) {
      expect(refused.owner).toBe("a");
      expect(refused.remainingMs).toBeGreaterThan(150);
      expect(refused.remainingMs).toBeLessThanOrEqual(300);
    }
    // the owner renews (same epoch) and passes the fence; the other does neither
    expect(await claimLease(db, nodeId, "a", 300)).toEqual({ held: true, epoch: 1n });
    expect(await stillHoldsLease(db, nodeId, "a", 300)).toBe(true);
    expect(await stillHoldsLease(db, nodeId, "b", 300)).toBe(false);
    expect(await heldByOther(db, nodeId, "b")).toBe(true);
    expect(await heldByOther(db, nodeId, "a")).toBe(false);

    await sleep(350); // a stopped renewing
    expect(await stillHoldsLease(db, nodeId, "a", 300)).toBe(false);
    expect(await claimLease(db, nodeId, "b", 300)).toEqual({ held: true, epoch: 2n });
    expect((await claimLease(db, nodeId, "a", 300)).held).toBe(false);
    expect(await heldByOther(db, nodeId, "a")).toBe(true);
  });

  it("releases a replica's leases on a clean stop so another claims at once", async () => {
    expect(await releaseLeases(db, "b")).toBe(1);
    expect(await claimLease(db, nodeId, "a", 300)).toEqual({ held: true, epoch: 1n });
    expect(await releaseLeases(db, "a")).toBe(1);
  });

  it("refuses a second sample of one node for one cycle time", async () => {
    const at = new Date("2026-12-01T00:00:00.000Z");
    await db.sample.create({ data: { nodeId, at, up: true, durationMs: 5 } });
    await expect(db.sample.create({ data: { nodeId, at, up: true, durationMs: 5 } })).rejects.toThrow(
      /unique/i,
    );
  });

  it("claims nothing (and throws no foreign-key error) for a node removed while it was being polled", async () => {
    const gone = await db.kamailioNode.create({
      data: { name: "gone", rpcUrl: "http://127.0.0.1:2/RPC", source: "cli" },
    });
    await db.kamailioNode.delete({ where: { id: gone.id } });
    expect(await claimLease(db, gone.id, "a", 300)).toEqual({ held: false, owner: "", remainingMs: 0 });
  });
});
