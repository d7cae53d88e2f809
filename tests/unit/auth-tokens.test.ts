import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  bearerToken,
  isApiTokenFormat,
  isSessionTokenFormat,
  newApiToken,
  randomToken,
  safeEqual,
  sha256Hex,
} from "@/lib/auth/tokens";

describe("tokens", () => {
  it("makes API tokens kd_ + 32 random bytes, stores only the sha256 and a short display prefix", () => {
    const { token, tokenHash, prefix } = newApiToken();
    expect(token).toMatch(/^kd_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), "base64url")).toHaveLength(32);
    expect(tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(tokenHash).not.toContain(token.slice(3));
    expect(prefix).toBe(token.slice(0, 10));
    expect(isApiTokenFormat(token)).toBe(true);
  });

  it("never repeats a token", () => {
    const seen = new Set(Array.from({ length: 200 }, () => newApiToken().token));
    expect(seen.size).toBe(200);
    expect(randomToken()).not.toBe(randomToken());
  });

  it("recognises token formats", () => {
    const session = randomToken();
    expect(isSessionTokenFormat(session)).toBe(true);
    expect(isSessionTokenFormat(`${session}x`)).toBe(false);
    expect(isApiTokenFormat(session)).toBe(false);
    expect(isApiTokenFormat("kd_short")).toBe(false);
    expect(isApiTokenFormat(`kd_${"a".repeat(42)}!`)).toBe(false);
  });

  it("reads Authorization: Bearer headers", () => {
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken("Bearer kd_abc")).toBe("kd_abc");
    expect(bearerToken("bearer   kd_abc ")).toBe("kd_abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBe("");
    expect(bearerToken("Bearer")).toBe("");
    expect(bearerToken("Bearer a b")).toBe("");
  });

  it("hashes and compares", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(safeEqual("same", "same")).toBe(true);
    expect(safeEqual("same", "sam")).toBe(false);
    expect(safeEqual("same", "Same")).toBe(false);
  });
});
