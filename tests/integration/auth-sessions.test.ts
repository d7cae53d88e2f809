import { scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from "@/lib/auth/cookies";
import { attemptLogin } from "@/lib/auth/login";
import { createOperator, ensureFirstAdmin, setOperatorPassword, updateOperator } from "@/lib/auth/operators";
import { verifyPassword } from "@/lib/auth/password";
import { LoginThrottle } from "@/lib/auth/rate-limit";
import { createSession, deleteSession, purgeExpiredSessions, resolveSession } from "@/lib/auth/sessions";
import { sha256Hex } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { captureLog } from "../support/log-capture";
import { setupAuthDatabase } from "./auth-database";

setupAuthDatabase();

const password = "correct horse battery";

async function login(
  username: string,
  secret = password,
  limiter = new LoginThrottle({ kind: "memory" }),
  now?: Date,
) {
  return attemptLogin({ username, password: secret, clientIp: "192.0.2.10", limiter, now });
}

describe("sign-in and sessions (PostgreSQL)", () => {
  it("signs in, stores only the token's sha256 and resolves the session to the operator", async () => {
    await createOperator({ username: "Alice", password, role: "operator" });
    const result = await login("alice");
    if (!result.ok) throw new Error(`login failed: ${result.reason}`);
    expect(result.operator).toMatchObject({ username: "alice", role: "operator" });

    const db = await getDb();
    const rows = await db.session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(sha256Hex(result.token));
    expect(JSON.stringify(rows)).not.toContain(result.token);
    expect(rows[0]?.csrfToken).toBe(result.csrfToken);
    expect(rows[0]?.expiresAt.getTime()).toBe(result.expiresAt.getTime());

    const actor = await resolveSession(result.token);
    expect(actor).toMatchObject({
      kind: "operator",
      username: "alice",
      role: "operator",
      csrfToken: result.csrfToken,
    });
    expect(actor?.permissions.has("ws.close")).toBe(true);
    expect(actor?.permissions.has("nodes.write")).toBe(false);
  });

  it("signs in case-insensitively", async () => {
    await createOperator({ username: "bob", password });
    expect((await login("  BOB ")).ok).toBe(true);
  });

  it("re-hashes a password stored with weaker scrypt parameters at sign-in", async () => {
    const weakSalt = Buffer.alloc(16, 7);
    const weakKey = scryptSync(password, weakSalt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const weakHash = [
      "scrypt",
      2 ** 14,
      8,
      1,
      weakSalt.toString("base64url"),
      weakKey.toString("base64url"),
    ].join("$");
    const db = await getDb();
    await db.operator.create({ data: { username: "olga", passwordHash: weakHash, role: "viewer" } });
    expect((await login("olga")).ok).toBe(true);
    const upgraded = await db.operator.findUniqueOrThrow({ where: { username: "olga" } });
    expect(upgraded.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(password, upgraded.passwordHash)).toBe(true);
  });

  it("answers a wrong password and an unknown user the same way", async () => {
    await createOperator({ username: "carol", password });
    expect(await login("carol", "wrong password!")).toEqual({ ok: false, reason: "invalid" });
    expect(await login("nobody", password)).toEqual({ ok: false, reason: "invalid" });
    expect(await (await getDb()).session.count()).toBe(0);
  });

  it("refuses disabled operators and ends their sessions", async () => {
    await createOperator({ username: "dave", password });
    const first = await login("dave");
    if (!first.ok) throw new Error("login failed");
    await updateOperator("dave", { disabled: true });
    expect(await resolveSession(first.token)).toBeNull();
    expect(await login("dave")).toEqual({ ok: false, reason: "invalid" });
  });

  it("slides the idle expiry on use and expires after 12 h idle", async () => {
    await createOperator({ username: "erin", password });
    const start = new Date("2026-01-01T00:00:00Z");
    const result = await login("erin", password, new LoginThrottle({ kind: "memory" }), start);
    if (!result.ok) throw new Error("login failed");
    expect(result.expiresAt.getTime() - start.getTime()).toBe(12 * 60 * 60_000);

    const later = new Date(start.getTime() + 11 * 60 * 60_000);
    expect(await resolveSession(result.token, later)).not.toBeNull();
    const row = await (await getDb()).session.findUniqueOrThrow({ where: { id: sha256Hex(result.token) } });
    expect(row.expiresAt.getTime()).toBe(later.getTime() + SESSION_IDLE_MS);
    expect(row.lastSeenAt.getTime()).toBe(later.getTime());

    // 11 h after the last use: still valid (the first use moved the expiry).
    expect(await resolveSession(result.token, new Date(later.getTime() + 11 * 60 * 60_000))).not.toBeNull();
    const idle = new Date(later.getTime() + 11 * 60 * 60_000 + SESSION_IDLE_MS + 1);
    expect(await resolveSession(result.token, idle)).toBeNull();
    expect(await (await getDb()).session.count()).toBe(0);
  });

  it("ends a session at the absolute cap however active it is", async () => {
    await createOperator({ username: "frank", password });
    const start = new Date("2026-01-01T00:00:00Z");
    const result = await login("frank", password, new LoginThrottle({ kind: "memory" }), start);
    if (!result.ok) throw new Error("login failed");
    for (let hours = 10; hours < SESSION_MAX_AGE_MS / 3_600_000; hours += 10) {
      expect(
        await resolveSession(result.token, new Date(start.getTime() + hours * 3_600_000)),
      ).not.toBeNull();
    }
    expect(await resolveSession(result.token, new Date(start.getTime() + SESSION_MAX_AGE_MS))).toBeNull();
  });

  it("logs out by deleting the session row; garbage tokens resolve to nothing", async () => {
    await createOperator({ username: "grace", password });
    const result = await login("grace");
    if (!result.ok) throw new Error("login failed");
    await deleteSession(result.token);
    expect(await resolveSession(result.token)).toBeNull();
    expect(await resolveSession("not-a-token")).toBeNull();
    expect(await resolveSession(result.csrfToken)).toBeNull();
  });

  it("purges expired sessions, also at every sign-in", async () => {
    const heidi = await createOperator({ username: "heidi", password });
    await createSession(heidi.id, new Date("2020-01-01T00:00:00Z"));
    await createSession(heidi.id);
    expect(await purgeExpiredSessions()).toBe(1);
    expect(await (await getDb()).session.count()).toBe(1);

    await createSession(heidi.id, new Date("2020-01-01T00:00:00Z"));
    expect((await login("heidi")).ok).toBe(true);
    expect(await (await getDb()).session.count()).toBe(2);
  });

  it("throttles after 5 failures with Retry-After, even for the right password", async () => {
    await createOperator({ username: "ivan", password });
    const limiter = new LoginThrottle({ kind: "memory" });
    for (let i = 0; i < 5; i += 1) expect((await login("ivan", "wrong password!", limiter)).ok).toBe(false);
    const refused = await login("ivan", password, limiter);
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    if (refused.ok || refused.reason !== "rate_limited") throw new Error("expected rate limit");
    expect(refused.retryAfterSeconds).toBeGreaterThan(250);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(300);
  });

  it("changing a password signs the operator out everywhere", async () => {
    await createOperator({ username: "judy", password });
    const result = await login("judy");
    if (!result.ok) throw new Error("login failed");
    expect(await setOperatorPassword("judy", "a brand new passphrase")).toBe(true);
    expect(await resolveSession(result.token)).toBeNull();
    expect((await login("judy", "a brand new passphrase")).ok).toBe(true);
    expect(await setOperatorPassword("nobody", "a brand new passphrase")).toBe(false);
  });
});

describe("first admin", () => {
  it("creates the admin from KAMDASH_ADMIN_PASSWORD once, and never touches existing operators", async () => {
    const env = { KAMDASH_ADMIN_PASSWORD: "first admin password" };
    expect(await ensureFirstAdmin(env)).toEqual({ status: "created", username: "admin" });
    const admin = await (await getDb()).operator.findUniqueOrThrow({ where: { username: "admin" } });
    expect(admin.role).toBe("admin");
    expect(await verifyPassword("first admin password", admin.passwordHash)).toBe(true);

    expect(await ensureFirstAdmin({ KAMDASH_ADMIN_PASSWORD: "another password!!" })).toEqual({
      status: "exists",
    });
    const again = await (await getDb()).operator.findUniqueOrThrow({ where: { username: "admin" } });
    expect(again.passwordHash).toBe(admin.passwordHash);
  });

  it("uses KAMDASH_ADMIN_USER, does nothing without a password, and rejects a short one", async () => {
    const logged = captureLog();
    try {
      expect(await ensureFirstAdmin({})).toEqual({ status: "not_configured" });
    } finally {
      logged.restore();
    }
    // no warning: a first run without KAMDASH_ADMIN_PASSWORD is normal (start-up then logs /setup and its code)
    expect(logged.lines().filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);
    await expect(ensureFirstAdmin({ KAMDASH_ADMIN_PASSWORD: "short" })).rejects.toThrow(
      /at least 10 characters/,
    );
    expect(
      await ensureFirstAdmin({ KAMDASH_ADMIN_USER: "Root", KAMDASH_ADMIN_PASSWORD: "long enough pw" }),
    ).toEqual({
      status: "created",
      username: "root",
    });
  });
});
