import { CSRF_HEADER } from "./cookies";
import { safeEqual } from "./tokens";

// Reading what a request says about itself (scheme, host, client address) and the CSRF rules built on it.
// Works on a plain Headers object so route handlers, server actions (next/headers) and tests share it.

type HeaderSource = Pick<Headers, "get">;

function firstListValue(value: string | null): string | null {
  const first = value?.split(",")[0]?.trim();
  return first ? first : null;
}

/** https when the URL says so or a proxy in front said so (Next fills x-forwarded-proto itself otherwise). */
export function isHttpsRequest(headers: HeaderSource, url?: string): boolean {
  if (url?.startsWith("https:")) return true;
  return firstListValue(headers.get("x-forwarded-proto"))?.toLowerCase() === "https";
}

/** Hosts the request may legitimately come from: Host and, behind a proxy, X-Forwarded-Host. */
function requestHosts(headers: HeaderSource): string[] {
  return [headers.get("host"), firstListValue(headers.get("x-forwarded-host"))]
    .filter((host): host is string => Boolean(host))
    .map((host) => host.toLowerCase());
}

/** True when the Origin header is present and names this server's host (browsers send it on every non-GET). */
export function isSameOrigin(headers: HeaderSource): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  return requestHosts(headers).includes(originHost);
}

export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

export type CsrfVerdict = { ok: true } | { ok: false; reason: "origin" | "token" };

/**
 * Cookie-authenticated mutations must come from our own origin AND echo the session's CSRF token in
 * `x-csrf-token` (the token is readable by our pages only; a foreign site can neither read it nor set the header
 * without a CORS preflight we never grant). Bearer-token requests carry no ambient credentials and skip this.
 */
export function checkCsrf(
  method: string,
  headers: HeaderSource,
  sessionCsrfToken: string | null,
): CsrfVerdict {
  if (isSafeMethod(method)) return { ok: true };
  if (!isSameOrigin(headers)) return { ok: false, reason: "origin" };
  const sent = headers.get(CSRF_HEADER);
  if (!sent || !sessionCsrfToken || !safeEqual(sent, sessionCsrfToken)) return { ok: false, reason: "token" };
  return { ok: true };
}

/** A post-login redirect target: only local absolute paths ("/x"), never "//host" or "/\\host" or a scheme. */
export function safeNextPath(next: string | null | undefined, fallback = "/"): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return fallback;
  if (next === "/login" || next.startsWith("/login?") || next.startsWith("/login/")) return fallback;
  return next;
}
