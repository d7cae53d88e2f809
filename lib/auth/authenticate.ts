import type { Actor } from "./actor";
import { resolveApiToken, resolveKioskToken } from "./api-tokens";
import { KIOSK_COOKIE, readCookie, SESSION_COOKIE } from "./cookies";
import { resolveSession } from "./sessions";
import { bearerToken } from "./tokens";

// Turns request credentials into an Actor. Order: an Authorization header wins and is the only thing looked at
// when present (a bad bearer token never falls back to a cookie); then the session cookie; then a kiosk cookie.

export type CredentialSource = "bearer" | "session" | "kiosk";

export type Authentication =
  | { actor: Actor; source: CredentialSource }
  | { actor: null; source: CredentialSource | null };

export type CredentialInput = {
  authorization: string | null;
  sessionCookie: string | null | undefined;
  kioskCookie: string | null | undefined;
};

export async function authenticate(credentials: CredentialInput, now = new Date()): Promise<Authentication> {
  const bearer = bearerToken(credentials.authorization);
  if (bearer !== null) return { actor: await resolveApiToken(bearer, now), source: "bearer" };
  if (credentials.sessionCookie) {
    const actor = await resolveSession(credentials.sessionCookie, now);
    if (actor) return { actor, source: "session" };
  }
  if (credentials.kioskCookie) {
    return { actor: await resolveKioskToken(credentials.kioskCookie, now), source: "kiosk" };
  }
  return { actor: null, source: credentials.sessionCookie ? "session" : null };
}

/** Credentials carried by a Request (route handlers, tests). */
export function requestCredentials(request: Request): CredentialInput {
  const cookieHeader = request.headers.get("cookie");
  return {
    authorization: request.headers.get("authorization"),
    sessionCookie: readCookie(cookieHeader, SESSION_COOKIE),
    kioskCookie: readCookie(cookieHeader, KIOSK_COOKIE),
  };
}
