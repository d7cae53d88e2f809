import { CSRF_COOKIE, CSRF_HEADER, readCookie } from "./cookies";

// For client components: the header that cookie-authenticated mutations must carry (withAuth checks it), read
// from the non-HttpOnly kamdash_csrf cookie set at sign-in.
//   await fetch("/api/v1/…", { method: "POST", headers: { "content-type": "application/json", ...csrfHeaders() } })

export function csrfHeaders(
  cookieString: string = globalThis.document?.cookie ?? "",
): Record<string, string> {
  const token = readCookie(cookieString, CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}
