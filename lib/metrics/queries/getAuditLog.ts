import { z } from "zod";
import type { Db } from "../db";

/** Query string of GET /api/v1/audit and the /admin/audit page: actor, action prefix, target part, since, limit. */
export const auditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional(),
  /** An action or its prefix: "dialog.end", "node.", "alert_rule.". */
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,40}$/, "an action such as dialog.end or a prefix such as node.")
    .optional(),
  target: z.string().trim().max(300).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export type AuditItem = {
  id: string;
  at: string;
  /** "operator:alice", "token:ci" (lib/auth/actor.ts actorLabel). */
  actor: string;
  action: string;
  target: string | null;
  /** "ok", or "failed: <what Kamailio or the check said>". */
  result: string;
  detail: unknown;
};

/**
 * The audit log, newest first, filtered (actor exact, action by prefix, target containing). Read-only: nothing
 * in the app updates or deletes audit rows. Throws what Prisma throws.
 */
export async function getAuditLog(db: Db, query: AuditQuery): Promise<AuditItem[]> {
  const rows = await db.auditLog.findMany({
    where: {
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.action ? { action: { startsWith: query.action } } : {}),
      ...(query.target ? { target: { contains: query.target } } : {}),
      ...(query.since ? { at: { gte: new Date(query.since) } } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    result: r.result,
    detail: r.detail ?? null,
  }));
}
