import { getDb } from "@/lib/db";
import {
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from "./password";
import { type Role, roleSchema } from "./permissions";
import { type LoginThrottle, loginRateLimiter } from "./rate-limit";
import { createSession, type NewSession, purgeExpiredSessions } from "./sessions";

// The sign-in service shared by the /login server action and POST /api/auth/login.

export type LoginResult =
  | ({ ok: true; operator: { id: number; username: string; role: Role } } & NewSession)
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export type LoginAttempt = {
  username: string;
  password: string;
  /** The client's address as lib/auth/client-address.ts finds it; null when unknown. */
  clientIp: string | null;
  /** Defaults to the process-wide throttle on the open database (lib/auth/rate-limit.ts). */
  limiter?: LoginThrottle;
  now?: Date;
};

export async function attemptLogin(attempt: LoginAttempt): Promise<LoginResult> {
  const limiter = attempt.limiter ?? (await loginRateLimiter());
  const username = attempt.username.trim().toLowerCase();
  const decision = await limiter.attempt(attempt.clientIp, username);
  if (!decision.allowed)
    return { ok: false, reason: "rate_limited", retryAfterSeconds: decision.retryAfterSeconds };

  const db = await getDb();
  const operator = username ? await db.operator.findUnique({ where: { username } }) : null;
  const role = roleSchema.safeParse(operator?.role);
  const verified =
    operator && !operator.disabled && role.success
      ? await verifyPassword(attempt.password, operator.passwordHash)
      : await verifyAgainstDummy(attempt.password);
  if (!operator || !verified || !role.success) return { ok: false, reason: "invalid" };

  await limiter.succeeded(attempt.clientIp, username);
  // Upgrade hashes made with weaker parameters while the clear password is at hand.
  if (needsRehash(operator.passwordHash) && checkPasswordPolicy(attempt.password) === null) {
    await db.operator.update({
      where: { id: operator.id },
      data: { passwordHash: await hashPassword(attempt.password) },
    });
  }
  // Sign-ins are rare, so they double as the clean-up of expired sessions (no scheduler needed).
  await purgeExpiredSessions(attempt.now);
  const session = await createSession(operator.id, attempt.now);
  return {
    ok: true,
    operator: { id: operator.id, username: operator.username, role: role.data },
    ...session,
  };
}
