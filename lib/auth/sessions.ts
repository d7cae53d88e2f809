import { getDb } from "@/lib/db";
import { type OperatorActor, operatorActor } from "./actor";
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from "./cookies";
import { roleSchema } from "./permissions";
import { isSessionTokenFormat, randomToken, sha256Hex } from "./tokens";

// Browser sessions. The cookie carries a random token; the row's id is its sha256, so the table alone cannot be
// used to sign in. Sessions slide: each use (at most once a minute, to spare writes) extends the idle expiry.

const TOUCH_INTERVAL_MS = 60_000;

export type NewSession = { token: string; csrfToken: string; expiresAt: Date };

export async function createSession(operatorId: number, now = new Date()): Promise<NewSession> {
  const db = await getDb();
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db.session.create({
    data: { id: sha256Hex(token), operatorId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt },
  });
  return { token, csrfToken, expiresAt };
}

/** The signed-in operator for a session cookie value, or null (unknown, expired, disabled user, bad role). */
export async function resolveSession(token: string, now = new Date()): Promise<OperatorActor | null> {
  if (!isSessionTokenFormat(token)) return null;
  const db = await getDb();
  const id = sha256Hex(token);
  const session = await db.session.findUnique({ where: { id }, include: { operator: true } });
  if (!session) return null;
  const expired =
    session.expiresAt.getTime() <= now.getTime() ||
    session.createdAt.getTime() + SESSION_MAX_AGE_MS <= now.getTime();
  if (expired) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  const role = roleSchema.safeParse(session.operator.role);
  if (session.operator.disabled || !role.success) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await db.session.updateMany({
      where: { id },
      data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) },
    });
  }
  return operatorActor({
    operatorId: session.operator.id,
    username: session.operator.username,
    role: role.data,
    sessionId: id,
    csrfToken: session.csrfToken,
  });
}

export async function deleteSession(token: string): Promise<void> {
  if (!isSessionTokenFormat(token)) return;
  const db = await getDb();
  await db.session.deleteMany({ where: { id: sha256Hex(token) } });
}

/** Signs an operator out everywhere (password change, disable, role change). */
export async function deleteSessionsOf(operatorId: number): Promise<number> {
  const db = await getDb();
  const { count } = await db.session.deleteMany({ where: { operatorId } });
  return count;
}

export async function purgeExpiredSessions(now = new Date()): Promise<number> {
  const db = await getDb();
  const { count } = await db.session.deleteMany({
    where: {
      OR: [{ expiresAt: { lte: now } }, { createdAt: { lte: new Date(now.getTime() - SESSION_MAX_AGE_MS) } }],
    },
  });
  return count;
}
