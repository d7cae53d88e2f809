import { type Actor, actorLabel } from "@/lib/auth/actor";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// One row per change an operator or API token made, written in the same transaction as the change itself.
// `detail` must never hold a secret (no clear token, no RPC URL credentials).

export type AuditAction =
  | "node.add"
  | "node.enable"
  | "node.disable"
  | "node.remove"
  | "node.probes"
  | "token.create"
  | "token.revoke"
  | "alert_rule.create"
  | "alert_rule.update"
  | "alert_rule.delete"
  | "connection.close"
  | "connection.ping"
  | "dialog.end"
  | "rtpengine.enable"
  | "rtpengine.disable"
  | "subscriber.add"
  | "subscriber.passwd"
  | "subscriber.remove"
  | "subscriber.import";

export type AuditEntry = {
  action: AuditAction;
  /** What was changed, e.g. "node:edge1" or "token:7". */
  target: string;
  detail?: Prisma.InputJsonValue;
  /** How it ended: "ok" (the default) or "failed: <reason>" for an action the node refused or did not answer. */
  result?: string;
};

export type AuditStore = Pick<PrismaClient, "auditLog">;

export async function recordAudit(db: AuditStore, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: actorLabel(actor),
      action: entry.action,
      target: entry.target,
      result: entry.result ?? "ok",
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    },
  });
}
