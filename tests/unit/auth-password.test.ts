import { describe, expect, it } from "vitest";
import {
  checkPasswordPolicy,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  SCRYPT_PARAMS,
  verifyPassword,
} from "@/lib/auth/password";

describe("password hashing", () => {
  it("encodes scrypt parameters, salt and hash in the stored string", async () => {
    const encoded = await hashPassword("correct horse battery");
    const parts = encoded.split("$");
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(["scrypt", String(SCRYPT_PARAMS.N), "8", "1"]);
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(Buffer.from(parts[4] ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? "", "base64url")).toHaveLength(32);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const encoded = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", encoded)).toBe(true);
    expect(await verifyPassword("correct horse batterY", encoded)).toBe(false);
    expect(await verifyPassword("", encoded)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same password 1"), hashPassword("same password 1")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password 1", b)).toBe(true);
  });

  it("verifies hashes made with other parameters (self-describing format) and flags them for rehash", async () => {
    const encoded = await hashPassword("another password");
    const [, , r, p, salt, hash] = encoded.split("$");
    const weaker = ["scrypt", "1024", r, p, salt, hash].join("$");
    expect(await verifyPassword("another password", weaker)).toBe(false); // same salt/hash, other N: no match
    expect(needsRehash(weaker)).toBe(true);
    expect(needsRehash(encoded)).toBe(false);
  });

  it("never verifies malformed or hostile stored hashes", async () => {
    const salt = Buffer.alloc(16, 1).toString("base64url");
    const key = Buffer.alloc(32, 2).toString("base64url");
    for (const bad of [
      "",
      "plaintext",
      `bcrypt$32768$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$8$1$${salt}$${key}`, // N beyond the allowed maximum
      `scrypt$32768$0$1$${salt}$${key}`,
      `scrypt$32768$8$1$$${key}`,
      `scrypt$32768$8$1$${salt}$`,
    ]) {
      expect(await verifyPassword("whatever password", bad)).toBe(false);
      expect(needsRehash(bad)).toBe(true);
    }
  });

  it("enforces the minimum length with a clear message", async () => {
    expect(MIN_PASSWORD_LENGTH).toBeGreaterThanOrEqual(10);
    expect(checkPasswordPolicy("short")).toBe("Password must be at least 10 characters long.");
    expect(checkPasswordPolicy("0123456789")).toBeNull();
    expect(checkPasswordPolicy("x".repeat(2000))).toMatch(/at most/);
    await expect(hashPassword("123456789")).rejects.toThrow("at least 10 characters");
  });
});
