import type { AuditAction } from "@/lib/audit/record-audit";
import { type Actor, actorLabel, can } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ProvisioningError } from "./errors";

// Who changes subscribers, and the audit row each change leaves in kamdash's database (the subscriber table is in
// Kamailio's, so the two writes cannot share a transaction: the row is written right after the change, and a
// refused change is not audited). Details hold names and counts, never a password or a hash.

/** A signed-in operator or API token, or "cli": someone with a shell on the server (like kamctl). */
export type ProvisioningActor = Actor | "cli";

export function provisioningActorLabel(actor: ProvisioningActor): string {
  return actor === "cli" ? "cli" : actorLabel(actor);
}

export function requireProvisioning(actor: ProvisioningActor, permission: Permission): void {
  if (actor !== "cli" && !can(actor, permission))
    throw new ProvisioningError(403, `Your role does not allow "${permission}"`);
}

export async function auditSubscriber(
  actor: ProvisioningActor,
  entry: { action: AuditAction; target: string; detail?: Prisma.InputJsonValue; result?: string },
): Promise<void> {
  await (await getDb()).auditLog.create({
    data: {
      actor: provisioningActorLabel(actor),
      action: entry.action,
      target: entry.target,
      result: entry.result ?? "ok",
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    },
  });
}
