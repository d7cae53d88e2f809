import { z } from "zod";
import { CanaryOutcomeSchema, type SdpChecks, SdpChecksSchema } from "@/lib/canary/schema";
import type { Db } from "../db";

export const canaryRunsQuerySchema = z.object({
  nodeId: z.number().int().positive(),
  limit: z.number().int().min(1).max(500).default(20),
});
export type CanaryRunsQuery = z.input<typeof canaryRunsQuerySchema>;

/** One stored canary run as pages and the API show it (times in ms; null = not reached or not measured). */
export type CanaryRunItem = {
  id: string;
  /** ISO time the run started. */
  at: string;
  /** The AOR or URI called (SIP text: render as text). */
  target: string;
  outcome: z.infer<typeof CanaryOutcomeSchema> | "unknown";
  reason: string | null;
  registerMs: number | null;
  setupMs: number | null;
  byeMs: number | null;
  sipStatus: number | null;
  /** null when the call was not set up, or the stored JSON is not the shape lib/canary writes. */
  sdpChecks: SdpChecks | null;
};

/**
 * The node's newest canary runs first (CanaryRun rows written by lib/metrics/writeCanaryRun.ts), at most `limit`
 * (default 20, max 500). Stored values are parsed again: an outcome or check list kamdash does not know reads
 * "unknown" / null rather than being passed on. Throws what Prisma throws, or a ZodError on a bad query.
 */
export async function getCanaryRuns(db: Db, query: CanaryRunsQuery): Promise<CanaryRunItem[]> {
  const { nodeId, limit } = canaryRunsQuerySchema.parse(query);
  const rows = await db.canaryRun.findMany({
    where: { nodeId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.map((r) => {
    const outcome = CanaryOutcomeSchema.safeParse(r.outcome);
    const checks = SdpChecksSchema.safeParse(r.sdpChecks);
    return {
      id: r.id.toString(),
      at: r.at.toISOString(),
      target: r.target,
      outcome: outcome.success ? outcome.data : "unknown",
      reason: r.reason,
      registerMs: r.registerMs,
      setupMs: r.setupMs,
      byeMs: r.byeMs,
      sipStatus: r.sipStatus,
      sdpChecks: checks.success ? checks.data : null,
    };
  });
}
