import type { NodeSnapshot } from "@/lib/poller/snapshot";
import type { Db } from "./db";
import { sampleColumns } from "./sample-columns";

/**
 * Writes one Sample row and its BranchSample rows (one per bridge direction, keyed by the sample's id and `at`, the
 * partition key of both tables) for a node's poll cycle, in one transaction; returns the sample id.
 */
export async function writeSample(db: Db, nodeId: number, snapshot: NodeSnapshot): Promise<bigint> {
  const branches = snapshot.branches ?? [];
  const columns = sampleColumns(snapshot);
  if (branches.length === 0) {
    return (await db.sample.create({ data: { nodeId, ...columns }, select: { id: true } })).id;
  }
  return db.$transaction(async (tx) => {
    const row = await tx.sample.create({ data: { nodeId, ...columns }, select: { id: true, at: true } });
    await tx.branchSample.createMany({
      data: branches.map((b) => ({
        sampleId: row.id,
        sampleAt: row.at,
        direction: b.direction,
        relayed: b.relayed === null ? null : BigInt(Math.trunc(b.relayed)),
        failed: b.failed === null ? null : BigInt(Math.trunc(b.failed)),
      })),
    });
    return row.id;
  });
}
