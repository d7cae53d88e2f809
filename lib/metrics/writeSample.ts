import type { NodeSnapshot } from "@/lib/poller/snapshot";
import type { Db } from "./db";
import { sampleColumns } from "./sample-columns";

/** Writes one Sample row (and its BranchSample rows) for a node's poll cycle; returns the sample id. */
export async function writeSample(db: Db, nodeId: number, snapshot: NodeSnapshot): Promise<bigint> {
  const branches = snapshot.branches ?? [];
  const row = await db.sample.create({
    data: {
      nodeId,
      ...sampleColumns(snapshot),
      branches: {
        create: branches.map((b) => ({
          direction: b.direction,
          relayed: b.relayed === null ? null : BigInt(Math.trunc(b.relayed)),
          failed: b.failed === null ? null : BigInt(Math.trunc(b.failed)),
        })),
      },
    },
    select: { id: true },
  });
  return row.id;
}
