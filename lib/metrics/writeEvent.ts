import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "./db";

export type EventSeverity = "info" | "warning" | "critical";

export type NewEvent = {
  nodeId: number | null;
  kind: string;
  severity: EventSeverity;
  message: string;
  at?: Date;
  detail?: Prisma.InputJsonValue;
};

export async function writeEvent(db: Db, event: NewEvent): Promise<bigint> {
  const row = await db.event.create({
    data: {
      nodeId: event.nodeId,
      kind: event.kind,
      severity: event.severity,
      message: event.message,
      at: event.at ?? new Date(),
      ...(event.detail === undefined ? {} : { detail: event.detail }),
    },
    select: { id: true },
  });
  return row.id;
}
