import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "./db";
import type { NewEvent } from "./writeEvent";

/** Many events in one INSERT (a reconnect storm can close thousands of connections in one cycle). Returns the count. */
export async function writeEvents(db: Db, events: readonly NewEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await db.event.createMany({
    data: events.map((event) => ({
      nodeId: event.nodeId,
      kind: event.kind,
      severity: event.severity,
      message: event.message,
      at: event.at ?? new Date(),
      ...(event.detail === undefined ? {} : { detail: event.detail as Prisma.InputJsonValue }),
    })),
  });
  return result.count;
}
