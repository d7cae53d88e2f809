import type { Db } from "../db";
import type { NodeRow } from "./getNodes";

export async function getNodeByName(db: Db, name: string): Promise<NodeRow | null> {
  return db.kamailioNode.findUnique({
    where: { name },
    select: { id: true, name: true, rpcUrl: true, enabled: true, source: true },
  });
}
