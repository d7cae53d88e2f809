import type { CanaryResult } from "@/lib/canary/schema";
import type { Db } from "./db";

/**
 * Writes one canary run (lib/canary/run.ts: outcome, reason, registerMs/setupMs/byeMs in ms, final SIP status, the
 * named SDP checks) as a CanaryRun row of the node, timed by the run's start (`at`). Holds no password. Returns the
 * row id. Throws what Prisma throws (the canary schedule reports it).
 */
export async function writeCanaryRun(db: Db, nodeId: number, run: CanaryResult): Promise<bigint> {
  const row = await db.canaryRun.create({
    data: {
      nodeId,
      at: new Date(run.at),
      target: run.target,
      outcome: run.outcome,
      reason: run.reason,
      registerMs: run.registerMs,
      setupMs: run.setupMs,
      byeMs: run.byeMs,
      sipStatus: run.sipStatus,
      ...(run.sdpChecks === null ? {} : { sdpChecks: run.sdpChecks }),
    },
    select: { id: true },
  });
  return row.id;
}
