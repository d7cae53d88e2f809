import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getHealthRoute } from "@/app/api/health/route";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { getDb } from "@/lib/db";
import type { Db } from "@/lib/metrics/db";
import { leaseMs } from "@/lib/poller/leases";
import { listenForSnapshots, mergeSharedSnapshots } from "@/lib/poller/shared-snapshots";
import { HealthResponseSchema, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { type ExtraKamailio, startExtraKamailio } from "../../scripts/lab/extra-nodes";
import { type LabOptions, labUp } from "../../scripts/lab/lab";
import { gatewaySuiteUsers } from "../support/lab";
import { waitFor } from "../support/wait";
import { createTempAppDatabase } from "./app-database";
import { apiRequest, bearerFor } from "./poller-harness";
import {
  allSamples,
  cycleStart,
  handoffsTooSoon,
  overlappingCycles,
  type ReplicaProcess,
  type SampleRow,
  signalReplica,
  startReplica,
  writerRuns,
} from "./replica-support";

// Fault: a kamdash replica killed. Two real replicas (separate processes, tests/integration/replica-process.ts)
// poll three real gateway Kamailios (the lab's and two more from scripts/lab/extra-nodes.ts) every second on one
// fresh PostgreSQL database. Proves, from the samples themselves (sample.written_by = the writing replica): each
// node is polled by one replica at a time (no overlapping cycles; a node changes writer only after a lease ran out,
// which happens at start-up when a first cycle outlasts the lease), and the nodes of the replica killed with SIGKILL (by its recorded PID)
// are polled by the other within two intervals, with no duplicate sample. Also: the live view of a process that
// polls nothing (this test process) shows all three nodes through PostgreSQL (NOTIFY + node_live_snapshot).
// Uses the lab: run under `flock /tmp/kamdash-lab.lock`.

const INTERVAL_MS = 1000;
const LEASE_MS = leaseMs(INTERVAL_MS);
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };

let database: { drop: () => Promise<void> } | null = null;
let db: Db;
const extras: ExtraKamailio[] = [];
const replicas: ReplicaProcess[] = [];
let nodeIds: Map<number, string>;

async function leases(): Promise<Map<number, string>> {
  const rows = await db.nodeLease.findMany({ where: { expiresAt: { gt: new Date() } } });
  return new Map(rows.map((row) => [row.nodeId, row.owner]));
}

const byNode = (samples: readonly SampleRow[], nodeId: number) => samples.filter((s) => s.nodeId === nodeId);

beforeAll(async () => {
  const lab = (await labUp(labOptions)).config;
  extras.push(await startExtraKamailio({ stateDir: labOptions.stateDir, lab }));
  extras.push(await startExtraKamailio({ stateDir: labOptions.stateDir, lab }));
  database = await createTempAppDatabase("replicas"); // migrated here: the replicas find the schema ready
  db = await getDb();
  const urls = [lab.rpc, ...extras.map((k) => k.rpcUrl)];
  await db.kamailioNode.createMany({
    data: urls.map((rpcUrl, i) => ({ name: `replica-node-${i + 1}`, rpcUrl, source: "cli" })),
  });
  nodeIds = new Map((await db.kamailioNode.findMany()).map((n) => [n.id, n.name]));
  const url = process.env.DATABASE_URL ?? "";
  replicas.push(...(await Promise.all([startReplica(url, INTERVAL_MS), startReplica(url, INTERVAL_MS)])));
}, 180_000);

afterAll(async () => {
  for (const replica of replicas) await signalReplica(replica, "SIGTERM").catch(() => undefined);
  for (const extra of extras) await extra.stop().catch(() => undefined);
  await database?.drop();
}, 60_000);

describe("fault: a kamdash replica killed", () => {
  it("polls each node from exactly one replica and shows every node on any replica", async () => {
    const [a, b] = replicas;
    if (!a || !b) throw new Error("two replicas expected");
    // every node leased and sampled a few times
    await waitFor(
      async () => {
        const held = await leases();
        const samples = await allSamples(db);
        return held.size === 3 && [...nodeIds.keys()].every((id) => byNode(samples, id).length >= 4);
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        description: `3 leased nodes with 4 samples each\n${a.output()}`,
      },
    );
    const held = await leases();
    for (const owner of held.values()) expect([a.id, b.id]).toContain(owner);
    const samples = await allSamples(db);
    for (const [id, owner] of held) {
      const mine = byNode(samples, id);
      // never two cycles of one node at once, a writer change only after a lease ran out, the holder writes now
      expect(overlappingCycles(mine), nodeIds.get(id)).toEqual([]);
      expect(handoffsTooSoon(mine, LEASE_MS), nodeIds.get(id)).toEqual([]);
      expect(mine.at(-1)?.writtenBy, nodeIds.get(id)).toBe(owner);
    }

    // this process polls nothing: its live view comes from PostgreSQL, refreshed by NOTIFY
    let notified = 0;
    const listener = listenForSnapshots({
      url: process.env.DATABASE_URL ?? "",
      self: "test-observer",
      onNotify: () => {
        notified += 1;
      },
    });
    try {
      await waitFor(() => notified >= 3, { timeoutMs: 5_000, description: "3 snapshot notifications" });
    } finally {
      await listener.close();
    }
    expect(await mergeSharedSnapshots(db)).toBe(3);
    const headers = await bearerFor("viewer");
    const overview = OverviewResponseSchema.parse(
      await (
        await getOverviewRoute(apiRequest("/api/v1/overview", headers), { params: Promise.resolve({}) })
      ).json(),
    );
    expect(overview.nodes.map((n) => n.name).sort()).toEqual([...nodeIds.values()].sort());
    for (const node of overview.nodes) {
      expect(node.up, `${node.name}: ${node.error}`).toBe(true);
      expect(node.ageMs, node.name).toBeLessThan(3 * INTERVAL_MS);
    }
    const health = HealthResponseSchema.parse(await (await getHealthRoute()).json());
    expect(health.replica.polls).toBe("leased");
    expect(health.replica.leasedNodes).toEqual([]);
    expect(health.nodes).toHaveLength(3);
  });

  it("hands the killed replica's nodes to the other within two intervals, with no duplicate sample", async () => {
    const held = await leases();
    const counts = replicas.map((r) => [...held.values()].filter((owner) => owner === r.id).length);
    // the replica holding the most nodes dies
    const victim = (counts[0] ?? 0) >= (counts[1] ?? 0) ? replicas[0] : replicas[1];
    const survivor = replicas.find((r) => r !== victim);
    if (!victim || !survivor) throw new Error("two replicas expected");
    const orphaned = [...held].filter(([, owner]) => owner === victim.id).map(([id]) => id);
    expect(orphaned.length).toBeGreaterThan(0);

    const killedAt = Date.now();
    await signalReplica(victim, "SIGKILL");
    // each orphaned node: first sample written by the survivor after the kill
    const takeovers = await waitFor(
      async () => {
        const samples = await allSamples(db);
        const firsts = orphaned.map((id) =>
          byNode(samples, id).find((s) => s.writtenBy === survivor.id && cycleStart(s) > killedAt),
        );
        return firsts.every((s) => s !== undefined) ? firsts : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100, description: `takeover of ${orphaned.length} node(s)` },
    );
    for (const first of takeovers) {
      if (!first) continue;
      console.info(
        `${nodeIds.get(first.nodeId)}: polled again ${cycleStart(first) - killedAt} ms after the kill`,
      );
      expect(cycleStart(first) - killedAt, nodeIds.get(first.nodeId)).toBeLessThanOrEqual(2 * INTERVAL_MS);
    }
    // a few more cycles, then the whole history
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    const samples = await allSamples(db);
    const after = await leases();
    for (const id of nodeIds.keys()) {
      const mine = byNode(samples, id);
      const name = nodeIds.get(id);
      expect(after.get(id), name).toBe(survivor.id);
      // the orphans: the victim, then the survivor for good; the survivor's own nodes: the survivor since the kill
      const since = mine.filter((s) => cycleStart(s) > killedAt);
      expect(writerRuns(since), name).toEqual([survivor.id]);
      if (orphaned.includes(id)) expect(writerRuns(mine).slice(-2), name).toEqual([victim.id, survivor.id]);
      expect(overlappingCycles(mine), name).toEqual([]);
      expect(handoffsTooSoon(mine, LEASE_MS), name).toEqual([]);
      // nothing written by the dead replica after it died
      expect(mine.filter((s) => s.writtenBy === victim.id && cycleStart(s) > killedAt)).toEqual([]);
      // no duplicate: one sample per node and cycle time (also a unique index)
      expect(new Set(mine.map((s) => s.at.getTime())).size, name).toBe(mine.length);
    }

    // the database itself refuses a second sample for one node and cycle time
    const [one] = samples;
    if (!one) throw new Error("no sample");
    await expect(
      db.sample.create({ data: { nodeId: one.nodeId, at: one.at, up: true, durationMs: 1 } }),
    ).rejects.toThrow(/unique/i);

    // a clean stop gives the leases back at once
    await signalReplica(survivor, "SIGTERM");
    expect([...(await leases()).values()].filter((owner) => owner === survivor.id)).toEqual([]);
  });
});
