import { type NextRequest, NextResponse } from "next/server";
import { KIOSK_COOKIE, kioskCookieAttributes, PATH_HEADER, SESSION_COOKIE } from "@/lib/auth/cookies";
import { isHttpsRequest } from "@/lib/auth/request-info";
import { isApiTokenFormat } from "@/lib/auth/tokens";
import {
  applySecurityHeaders,
  CSP_HEADER,
  contentSecurityPolicy,
  NONCE_HEADER,
  newNonce,
  type SecurityHeaderOptions,
} from "@/lib/http/security-headers";

// Coarse gate in front of every route: without any credential a page redirects to /login and an API call gets
// 401. It only looks at whether credentials are present; validity and permissions are checked by withAuth()
// and requirePage() next to the data, so a forged cookie gets past here and no further.

// /setup and /api/setup: first-run setup, open only while no operator exists (lib/auth/setup.ts).
const PUBLIC_PATHS = new Set(["/login", "/setup", "/api/health", "/api/auth/login", "/api/setup"]);

function isPublic(pathname: string): boolean {
  return PUBLIC_PATHS.has(pathname) || pathname.startsWith("/login/");
}

/** Every answer that passes here carries the security headers (lib/http/security-headers.ts), its own nonce. */
export function proxy(request: NextRequest): NextResponse {
  const security: SecurityHeaderOptions = {
    nonce: newNonce(),
    https: isHttpsRequest(request.headers, request.url),
    dev: process.env.NODE_ENV === "development",
  };
  const response = gate(request, security);
  applySecurityHeaders(response.headers, security);
  return response;
}

function gate(request: NextRequest, security: SecurityHeaderOptions): NextResponse {
  const { pathname, search, searchParams } = request.nextUrl;

  // /wall?kiosk=<token>: move the token into an HttpOnly cookie and reload /wall without it in the address bar or
  // history. The token is checked against the database when /wall renders (requirePage), like any credential.
  const kioskToken = searchParams.get("kiosk");
  if (pathname === "/wall" && kioskToken !== null) {
    const wall = request.nextUrl.clone();
    wall.searchParams.delete("kiosk");
    if (!isApiTokenFormat(kioskToken)) {
      wall.pathname = "/login";
      wall.search = "?next=%2Fwall&kiosk=invalid";
    }
    const response = NextResponse.redirect(wall, 303);
    if (isApiTokenFormat(kioskToken))
      response.cookies.set(KIOSK_COOKIE, kioskToken, kioskCookieAttributes(security.https));
    response.headers.set("cache-control", "no-store");
    response.headers.set("referrer-policy", "no-referrer");
    return response;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(PATH_HEADER, `${pathname}${search}`);
  // Next reads the nonce from the request's CSP while rendering and puts it on its scripts (Next 16's CSP guide).
  requestHeaders.set(NONCE_HEADER, security.nonce);
  requestHeaders.set(CSP_HEADER, contentSecurityPolicy(security));
  const pass = () => NextResponse.next({ request: { headers: requestHeaders } });
  if (isPublic(pathname)) return pass();

  const hasCredentials =
    request.headers.has("authorization") ||
    request.cookies.has(SESSION_COOKIE) ||
    request.cookies.has(KIOSK_COOKIE);
  if (hasCredentials) return pass();

  // /metrics is a machine endpoint too (Prometheus scrapes it): a 401 it can report, not a login page
  if (pathname === "/api" || pathname.startsWith("/api/") || pathname === "/metrics") {
    return NextResponse.json(
      { error: { code: "unauthorized", message: "Sign in or send a valid API token" } },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="kamdash"', "cache-control": "no-store" } },
    );
  }
  const login = request.nextUrl.clone();
  login.pathname = "/login";
  login.search = pathname === "/" ? "" : `?next=${encodeURIComponent(`${pathname}${search}`)}`;
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but Next's static assets and public/ (the icon and the web manifest a kiosk loads before sign-in).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|manifest.webmanifest).*)"],
};
