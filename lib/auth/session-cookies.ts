import { cookies, headers } from "next/headers";
import {
  CSRF_COOKIE,
  csrfCookieAttributes,
  KIOSK_COOKIE,
  SESSION_COOKIE,
  sessionCookieAttributes,
} from "./cookies";
import { isHttpsRequest } from "./request-info";
import { deleteSession, type NewSession } from "./sessions";

// Writing the auth cookies from a server action or route handler (Next's cookies() store).
// `Secure` is set when the request came over https (directly or per x-forwarded-proto).

async function requestIsHttps(): Promise<boolean> {
  return isHttpsRequest(await headers());
}

export async function setSessionCookies(session: NewSession): Promise<void> {
  const secure = await requestIsHttps();
  const store = await cookies();
  // Signing in again from the same browser: end the session the old cookie pointed to.
  const previous = store.get(SESSION_COOKIE)?.value;
  if (previous) await deleteSession(previous);
  store.set(SESSION_COOKIE, session.token, sessionCookieAttributes(secure));
  store.set(CSRF_COOKIE, session.csrfToken, csrfCookieAttributes(secure));
  // An operator signing in on a wall screen leaves kiosk mode.
  store.delete(KIOSK_COOKIE);
}

/** Ends the session in the database (if any) and removes every auth cookie. */
export async function signOut(): Promise<void> {
  const store = await cookies();
  const token = store.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(token);
  store.delete(SESSION_COOKIE);
  store.delete(CSRF_COOKIE);
  store.delete(KIOSK_COOKIE);
}
