import type { Db } from "../db";

/** Names of the nodes whose poll lease `owner` (a replica id) holds right now (node_lease, database clock). */
export async function getLeasedNodes(db: Db, owner: string): Promise<string[]> {
  const rows = await db.nodeLease.findMany({
    where: { owner, expiresAt: { gt: new Date() } },
    select: { node: { select: { name: true } } },
    orderBy: { node: { name: "asc" } },
  });
  return rows.map((row) => row.node.name);
}
