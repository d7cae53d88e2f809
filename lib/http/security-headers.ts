// The security headers of every kamdash response, in one place. proxy.ts sets them on everything it runs on (pages,
// route handlers, /metrics, its own redirects and 401s) with a fresh CSP nonce per request; next.config.js sets
// STATIC_SECURITY_HEADERS on the paths proxy.ts skips (Next's static chunks and public/). No Node-only imports:
// proxy.ts imports this module.
//
// The CSP follows Next 16's nonce recipe (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md):
// proxy.ts puts the policy on the REQUEST too, Next reads `'nonce-…'` from it while rendering and stamps its own
// <script> tags with it, so every page must render per request (the root layout awaits connection()).

/** Request header carrying the per-request nonce to server components (Next's documented name). */
export const NONCE_HEADER = "x-nonce";
export const CSP_HEADER = "content-security-policy";

/** One year, in seconds: how long a browser keeps to https after one https response (RFC 6797 max-age). */
export const HSTS_MAX_AGE_S = 365 * 24 * 60 * 60;

export type SecurityHeaderOptions = {
  /** Base64 nonce of this request (newNonce()); only scripts carrying it run. */
  nonce: string;
  /** The request came over https (isHttpsRequest): adds HSTS and upgrade-insecure-requests. */
  https: boolean;
  /** `next dev`: React's dev build needs eval for its error overlays (Next's guide); never in production. */
  dev?: boolean;
};

/** 128 random bits, base64: unguessable and unique per request. Uses Web Crypto (works in proxy and Node). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy value: scripts only with this request's nonce (and what those load, via
 * 'strict-dynamic'), never inline without it; same-origin fetches and the SSE stream only (connect-src 'self');
 * no framing by anyone (frame-ancestors 'none').
 */
export function contentSecurityPolicy({ nonce, https, dev = false }: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Styles only: Tremor and Recharts render style="…" attributes and the wall layout a <style> element, which a
    // nonce cannot cover (a nonce in style-src would also switch 'unsafe-inline' off). Scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  // Only under https: on a plain-http install (a LAN dashboard on :3000) it would send every asset to https.
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * Every security header of a response, lower-case names: CSP, X-Frame-Options DENY, nosniff, Referrer-Policy and,
 * under https only, Strict-Transport-Security.
 */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    [CSP_HEADER]: contentSecurityPolicy(options),
    ...baseSecurityHeaders(options.https),
  };
}

/** The headers that need no nonce (X-Frame-Options, nosniff, Referrer-Policy, HSTS under https). */
export function baseSecurityHeaders(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    // Not no-referrer: with it browsers send `Origin: null` on same-origin POSTs, which the CSRF check (and Next's
    // server-action check) must refuse. This keeps the Origin and sends only the origin to other sites.
    "referrer-policy": "strict-origin-when-cross-origin",
  };
  if (https) headers["strict-transport-security"] = `max-age=${HSTS_MAX_AGE_S}`;
  return headers;
}

/**
 * Sets securityHeaders(options) on `headers` where missing; one already set is kept (the kiosk redirect's stricter
 * `referrer-policy: no-referrer`, which keeps its token out of any Referer). Returns `headers`.
 */
export function applySecurityHeaders(headers: Headers, options: SecurityHeaderOptions): Headers {
  for (const [name, value] of Object.entries(securityHeaders(options))) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return headers;
}

/**
 * For the paths proxy.ts does not run on (/_next/static, /_next/image, favicon.ico, icon.svg, the web manifest):
 * fixed headers, no nonce (no page renders there), no HSTS (next.config.js cannot see the scheme). The icon is an
 * SVG a browser may open on its own, so its policy allows no script at all.
 * next.config.js holds a copy (it is plain JS and cannot import this file); tests/unit/security-headers.test.ts
 * checks the two are equal.
 */
export const STATIC_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: CSP_HEADER, value: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" },
  { key: "x-frame-options", value: "DENY" },
  { key: "x-content-type-options", value: "nosniff" },
  { key: "referrer-policy", value: "strict-origin-when-cross-origin" },
];
