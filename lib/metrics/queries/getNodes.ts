import type { Db } from "../db";

export type NodeRow = { id: number; name: string; rpcUrl: string; enabled: boolean; source: string };

/** Every configured node (enabled or not), by name. */
export async function getNodes(db: Db): Promise<NodeRow[]> {
  return db.kamailioNode.findMany({
    select: { id: true, name: true, rpcUrl: true, enabled: true, source: true },
    orderBy: { name: "asc" },
  });
}
