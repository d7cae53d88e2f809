import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { ApiError, notFound } from "@/lib/http/errors";
import type { Actor } from "./actor";
import { type ApiTokenInfo, createApiToken, createApiTokenInput, revokeApiToken } from "./api-tokens";
import { requirePermission } from "./require-permission";

// Creating and revoking API tokens while the server runs (admin page, JSON API), each with an audit row in the
// same transaction. Names identify tokens in audit rows and logs, so two live tokens may not share one.

export const createTokenInput = createApiTokenInput;

/** A token id from a URL or form field. */
export const tokenIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, "token id must be a positive whole number")
  .transform(Number);

export type CreatedToken = ApiTokenInfo & {
  /** The clear token: returned this once, stored only as a hash. */
  token: string;
  /** For kiosk tokens, the path that opens the wall with it: `/wall?kiosk=<token>`. */
  wallPath: string | null;
};

export function kioskWallPath(token: string): string {
  return `/wall?kiosk=${encodeURIComponent(token)}`;
}

export async function createTokenAs(actor: Actor, input: unknown): Promise<CreatedToken> {
  requirePermission(actor, "tokens.write");
  const fields = createTokenInput.parse(input);
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const clash = await tx.apiToken.findFirst({ where: { name: fields.name, revokedAt: null } });
    if (clash) throw new ApiError(409, `An active token named "${fields.name}" already exists`);
    const created = await createApiToken(fields, tx);
    await recordAudit(tx, actor, {
      action: "token.create",
      target: `token:${created.id}`,
      detail: { name: created.name, role: created.role, kiosk: created.kiosk, prefix: created.prefix },
    });
    return { ...created, wallPath: created.kiosk ? kioskWallPath(created.token) : null };
  });
}

/** Revokes a live token (the row stays for the record); 404 when there is no live token with this id. */
export async function revokeTokenAs(actor: Actor, id: number, now = new Date()): Promise<ApiTokenInfo> {
  requirePermission(actor, "tokens.write");
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id } });
    if (!row || row.revokedAt || !(await revokeApiToken(id, now, tx))) throw notFound(`Active token ${id}`);
    await recordAudit(tx, actor, {
      action: "token.revoke",
      target: `token:${id}`,
      detail: { name: row.name, prefix: row.prefix },
    });
    const { id: rowId, name, prefix, role, kiosk, createdAt, lastUsedAt } = row;
    return { id: rowId, name, prefix, role, kiosk, createdAt, lastUsedAt, revokedAt: now };
  });
}
