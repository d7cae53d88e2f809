import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Secrets handed to clients (session cookies, API tokens) are 32 random bytes; only their sha256 is stored, so a
// database leak does not hand out working credentials.

export const API_TOKEN_PREFIX = "kd_";
const API_TOKEN_PATTERN = /^kd_[A-Za-z0-9_-]{43}$/;
const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Characters of an API token kept in clear for display ("kd_Ab12Cd3"), enough to tell tokens apart. */
export const API_TOKEN_DISPLAY_CHARS = 10;

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

export function newApiToken(): { token: string; tokenHash: string; prefix: string } {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  return { token, tokenHash: sha256Hex(token), prefix: token.slice(0, API_TOKEN_DISPLAY_CHARS) };
}

export function isApiTokenFormat(value: string): boolean {
  return API_TOKEN_PATTERN.test(value);
}

export function isSessionTokenFormat(value: string): boolean {
  return SESSION_TOKEN_PATTERN.test(value);
}

/** The token of an `Authorization: Bearer <token>` header: null when there is no header, "" when it is not Bearer. */
export function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
  return match?.[1] ?? "";
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
