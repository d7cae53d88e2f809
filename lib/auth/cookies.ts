// Names and attributes of kamdash's cookies (and the one header proxy.ts adds), shared by login, wrapper, proxy.
// This module must stay free of Node-only imports: proxy.ts imports it.

export const SESSION_COOKIE = "kamdash_session";
/** Not HttpOnly on purpose: our pages read it to send the `x-csrf-token` header (double submit). */
export const CSRF_COOKIE = "kamdash_csrf";
export const CSRF_HEADER = "x-csrf-token";
/** Holds a wall kiosk token after /wall?kiosk=… was exchanged; HttpOnly, checked against the database each time. */
export const KIOSK_COOKIE = "kamdash_kiosk";

/** Idle timeout of a session; every use pushes it forward (sliding). */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
/** Hard cap on a session's life however active it is. The cookie lives this long; the database decides. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60_000;
export const KIOSK_COOKIE_MAX_AGE_MS = 30 * 24 * 60 * 60_000;

export type CookieAttributes = {
  httpOnly: boolean;
  secure: boolean;
  sameSite: "lax" | "strict";
  path: "/";
  maxAge: number;
};

export function sessionCookieAttributes(secure: boolean): CookieAttributes {
  return { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: SESSION_MAX_AGE_MS / 1000 };
}

export function csrfCookieAttributes(secure: boolean): CookieAttributes {
  return { httpOnly: false, secure, sameSite: "strict", path: "/", maxAge: SESSION_MAX_AGE_MS / 1000 };
}

export function kioskCookieAttributes(secure: boolean): CookieAttributes {
  return { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: KIOSK_COOKIE_MAX_AGE_MS / 1000 };
}

/** Reads a cookie from a raw Cookie header (for plain Request objects outside Next's helpers). */
export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

/** Request header proxy.ts sets to the requested path, so pages can build `/login?next=…`. Always overwritten. */
export const PATH_HEADER = "x-kamdash-path";
