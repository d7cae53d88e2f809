import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// Password hashes are self-describing: `scrypt$N$r$p$salt$hash` (salt and hash base64url, no padding), so the
// cost can be raised later and old hashes still verify (see needsRehash).

export const MIN_PASSWORD_LENGTH = 10;
/** An upper bound keeps a single login attempt cheap to reject; no real passphrase gets near it. */
export const MAX_PASSWORD_LENGTH = 1024;

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Limits for parameters read back from a stored hash, so a corrupted row cannot make verify allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is exactly N=2^15,r=8 and fails on rounding.
  return { N, r, p, maxmem: 128 * N * r * 2 };
}

/** Returns the policy violation as a user-facing message, or null when the password is acceptable. */
export function checkPasswordPolicy(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  }
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const violation = checkPasswordPolicy(password);
  if (violation) throw new Error(violation);
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, KEY_BYTES, scryptOptions(N, r, p));
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

type ParsedHash = { N: number; r: number; p: number; salt: Buffer; key: Buffer };

function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,8}$/.test(part) ? Number(part) : Number.NaN));
  if (N === undefined || r === undefined || p === undefined) return null;
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return null;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const key = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length < 8 || key.length < 16 || key.length > 128) return null;
  return { N, r, p, salt, key };
}

/** Constant-time comparison; a malformed stored hash never verifies (and never throws). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  const candidate = await scryptAsync(
    password,
    parsed.salt,
    parsed.key.length,
    scryptOptions(parsed.N, parsed.r, parsed.p),
  );
  return timingSafeEqual(candidate, parsed.key);
}

/** True when the stored hash uses weaker parameters than today's (or cannot be read). */
export function needsRehash(encoded: string): boolean {
  const parsed = parseHash(encoded);
  if (!parsed) return true;
  return parsed.N < SCRYPT_PARAMS.N || parsed.r < SCRYPT_PARAMS.r || parsed.p < SCRYPT_PARAMS.p;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for logins of unknown or disabled users, so response time does
 * not reveal which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("kamdash-dummy-password-never-matches");
  await verifyPassword(password, await dummyHash);
  return false;
}
