import { z } from "zod";
import { getDb, type PrismaClient } from "@/lib/db";
import { type KioskActor, kioskActor, type TokenActor, tokenActor } from "./actor";
import { roleSchema } from "./permissions";
import { isApiTokenFormat, newApiToken, sha256Hex } from "./tokens";

// API tokens: `kd_` + 32 random bytes, shown once at creation; the table keeps the sha256 and a display prefix.
// A kiosk token is limited to the kiosk permissions (wall, overview, stream) whatever its role.

const LAST_USED_INTERVAL_MS = 60_000;

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
  role: roleSchema.default("viewer"),
  kiosk: z.boolean().default(false),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

export type ApiTokenInfo = {
  id: number;
  name: string;
  prefix: string;
  role: string;
  kiosk: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The client or an interactive transaction's client (so a change and its audit row commit together). */
export type ApiTokenStore = Pick<PrismaClient, "apiToken">;

/** Creates a token and returns it in clear — the only time it is ever available. */
export async function createApiToken(
  input: CreateApiTokenInput,
  store?: ApiTokenStore,
): Promise<ApiTokenInfo & { token: string }> {
  const { name, role, kiosk } = createApiTokenInput.parse(input);
  const { token, tokenHash, prefix } = newApiToken();
  const db = store ?? (await getDb());
  const row = await db.apiToken.create({ data: { name, role, kiosk, tokenHash, prefix } });
  return { ...toInfo(row), token };
}

function toInfo(row: ApiTokenInfo & { tokenHash?: string }): ApiTokenInfo {
  const { id, name, prefix, role, kiosk, createdAt, lastUsedAt, revokedAt } = row;
  return { id, name, prefix, role, kiosk, createdAt, lastUsedAt, revokedAt };
}

export async function listApiTokens(): Promise<ApiTokenInfo[]> {
  const db = await getDb();
  const rows = await db.apiToken.findMany({ orderBy: { id: "asc" } });
  return rows.map(toInfo);
}

/** Marks a token revoked (kept for the record). False when there is no such live token. */
export async function revokeApiToken(id: number, now = new Date(), store?: ApiTokenStore): Promise<boolean> {
  const db = store ?? (await getDb());
  const { count } = await db.apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

async function findLiveToken(token: string, now: Date) {
  if (!isApiTokenFormat(token)) return null;
  const db = await getDb();
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!row || row.revokedAt) return null;
  const role = roleSchema.safeParse(row.role);
  if (!role.success) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS) {
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ...row, role: role.data };
}

/** The principal behind `Authorization: Bearer <token>`, or null when the token is unknown or revoked. */
export async function resolveApiToken(token: string, now = new Date()): Promise<TokenActor | null> {
  const row = await findLiveToken(token, now);
  if (!row) return null;
  return tokenActor({ tokenId: row.id, name: row.name, role: row.role, kiosk: row.kiosk });
}

/** A wall kiosk: only tokens created with the kiosk flag qualify, so no powerful token ends up in a URL. */
export async function resolveKioskToken(token: string, now = new Date()): Promise<KioskActor | null> {
  const row = await findLiveToken(token, now);
  if (!row?.kiosk) return null;
  return kioskActor({ tokenId: row.id, name: row.name });
}
