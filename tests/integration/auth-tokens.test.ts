import { describe, expect, it } from "vitest";
import {
  createApiToken,
  listApiTokens,
  resolveApiToken,
  resolveKioskToken,
  revokeApiToken,
} from "@/lib/auth/api-tokens";
import { sha256Hex } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { setupAuthDatabase } from "./auth-database";

setupAuthDatabase();

describe("API tokens (PostgreSQL)", () => {
  it("returns the clear token once and stores only its hash and display prefix", async () => {
    const created = await createApiToken({ name: "ci exporter", role: "operator" });
    expect(created.token).toMatch(/^kd_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: "ci exporter", role: "operator", kiosk: false, revokedAt: null });
    const rows = await (await getDb()).apiToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(sha256Hex(created.token));
    expect(rows[0]?.prefix).toBe(created.token.slice(0, 10));
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(10));
    const listed = await listApiTokens();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(10));
    expect(Object.keys(listed[0] ?? {})).not.toContain("tokenHash");
  });

  it("validates input: name required, role one of viewer/operator/admin", async () => {
    await expect(createApiToken({ name: " " })).rejects.toThrow(/Name is required/);
    await expect(createApiToken({ name: "x", role: "root" as "admin" })).rejects.toThrow();
    expect((await createApiToken({ name: "defaults" })).role).toBe("viewer");
  });

  it("resolves a bearer token to its role and records when it was used", async () => {
    const created = await createApiToken({ name: "grafana", role: "viewer" });
    const now = new Date("2026-02-01T10:00:00Z");
    const actor = await resolveApiToken(created.token, now);
    expect(actor).toMatchObject({ kind: "token", name: "grafana", role: "viewer", kiosk: false });
    expect(actor?.permissions.has("series.read")).toBe(true);
    expect(actor?.permissions.has("nodes.write")).toBe(false);
    const row = await (await getDb()).apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.lastUsedAt?.toISOString()).toBe(now.toISOString());
  });

  it("refuses unknown, malformed and revoked tokens", async () => {
    const created = await createApiToken({ name: "temp", role: "admin" });
    expect(await resolveApiToken(`kd_${"A".repeat(43)}`)).toBeNull();
    expect(await resolveApiToken(created.token.slice(0, -1))).toBeNull();
    expect(await resolveApiToken("")).toBeNull();
    expect(await revokeApiToken(created.id)).toBe(true);
    expect(await revokeApiToken(created.id)).toBe(false);
    expect(await resolveApiToken(created.token)).toBeNull();
    expect((await listApiTokens())[0]?.revokedAt).toBeInstanceOf(Date);
  });

  it("limits kiosk tokens to the kiosk permissions and accepts only kiosk tokens for the wall", async () => {
    const kiosk = await createApiToken({ name: "noc wall", role: "admin", kiosk: true });
    const plain = await createApiToken({ name: "api", role: "viewer" });
    const asBearer = await resolveApiToken(kiosk.token);
    expect([...(asBearer?.permissions ?? [])].sort()).toEqual([
      "alerts.read",
      "overview.read",
      "stream.read",
      "wall.read",
    ]);
    const wall = await resolveKioskToken(kiosk.token);
    expect(wall).toMatchObject({ kind: "kiosk", name: "noc wall", role: "viewer" });
    expect(await resolveKioskToken(plain.token)).toBeNull();
    await revokeApiToken(kiosk.id);
    expect(await resolveKioskToken(kiosk.token)).toBeNull();
  });
});
