import type { NextConfig } from "next";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  HSTS_MAX_AGE_S,
  newNonce,
  STATIC_SECURITY_HEADERS,
  securityHeaders,
} from "@/lib/http/security-headers";
import { createMetricsServer } from "@/lib/prometheus/listener";
import { proxy } from "@/proxy";

// The header set of lib/http/security-headers.ts, how proxy.ts puts it on each kind of answer it gives, and the
// copy next.config.js sets on the paths proxy.ts skips.

const base = "http://127.0.0.1:3000";

/** The CSP as directive name → its sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

function expectCommonHeaders(headers: Headers, https: boolean, what: string) {
  expect(headers.get("x-frame-options"), what).toBe("DENY");
  expect(headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(headers.get("strict-transport-security"), what).toBe(https ? `max-age=${HSTS_MAX_AGE_S}` : null);
  const csp = directives(headers.get("content-security-policy") ?? "");
  const script = csp.get("script-src") ?? [];
  expect(
    script.filter((s) => /^'nonce-[A-Za-z0-9+/]{22}==?'$/.test(s)),
    what,
  ).toHaveLength(1);
  expect(script, what).not.toContain("'unsafe-inline'");
  expect(csp.get("frame-ancestors"), what).toEqual(["'none'"]);
}

describe("security header set", () => {
  it("has a script-src of the nonce only, no inline scripts, and connect-src 'self' for the SSE stream", () => {
    const nonce = newNonce();
    const csp = directives(contentSecurityPolicy({ nonce, https: false }));
    expect(csp.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    // inline styles only (Tremor's style attributes, the wall's <style>), never inline scripts
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
    expect(contentSecurityPolicy({ nonce, https: false, dev: true })).toContain("'unsafe-eval'");
  });

  it("gives a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => newNonce()));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });

  it("adds HSTS and upgrade-insecure-requests only under https", () => {
    const http = securityHeaders({ nonce: "bm9uY2U=", https: false });
    expect(http).toEqual({
      "content-security-policy": expect.stringContaining("'nonce-bm9uY2U='"),
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    const https = securityHeaders({ nonce: "bm9uY2U=", https: true });
    expect(https["strict-transport-security"]).toBe("max-age=31536000");
    expect(https["content-security-policy"]).toContain("upgrade-insecure-requests");
  });
});

describe("proxy.ts sets them on every kind of answer", () => {
  const call = (path: string, headers: Record<string, string> = {}) =>
    proxy(new NextRequest(`${base}${path}`, { headers }));

  it("pages and API calls passed on, redirects to /login, 401s, the kiosk swap", () => {
    const kioskToken = `kd_${"a".repeat(43)}`;
    const answers = {
      "page passed": call("/overview", { cookie: "kamdash_session=x" }),
      "API passed": call("/api/v1/nodes", { authorization: "Bearer kd_x" }),
      "public page": call("/login"),
      "login redirect": call("/admin"),
      "API 401": call("/api/v1/nodes"),
      "metrics 401": call("/metrics"),
      "kiosk redirect": call(`/wall?kiosk=${kioskToken}`),
    };
    for (const [what, response] of Object.entries(answers))
      expectCommonHeaders(response.headers, false, what);
    expect(answers["page passed"].headers.get("x-middleware-next")).toBe("1");
    expect(answers["login redirect"].status).toBe(307);
    expect(answers["API 401"].status).toBe(401);
    // the kiosk swap keeps its stricter policy (the token was in the URL); everything else the app-wide one
    expect(answers["kiosk redirect"].headers.get("referrer-policy")).toBe("no-referrer");
    expect(answers["page passed"].headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("adds HSTS when the request came over https (directly or per x-forwarded-proto)", () => {
    expectCommonHeaders(call("/admin", { "x-forwarded-proto": "https" }).headers, true, "forwarded https");
    expectCommonHeaders(
      proxy(new NextRequest("https://kamdash.example/api/v1/nodes")).headers,
      true,
      "https",
    );
  });

  it("hands the page render the nonce of the CSP it answers with, a new one per request", () => {
    const first = call("/overview", { cookie: "kamdash_session=x", "x-nonce": "attacker-chosen" });
    const nonce = first.headers.get("x-middleware-request-x-nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(first.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
    // Next reads the nonce from the request's CSP: the same policy is passed on
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(
      first.headers.get("content-security-policy"),
    );
    const second = call("/overview", { cookie: "kamdash_session=x" });
    expect(second.headers.get("x-middleware-request-x-nonce")).not.toBe(nonce);
  });
});

describe("next.config.js", () => {
  it("sets STATIC_SECURITY_HEADERS on each path proxy.ts skips", async () => {
    const config = (
      (await import(new URL("../../next.config.js", import.meta.url).href)) as { default: NextConfig }
    ).default;
    const rules = (await config.headers?.()) ?? [];
    const sources = rules.map((rule) => rule.source);
    expect(sources).toEqual(
      expect.arrayContaining(["/_next/static/:path*", "/icon.svg", "/manifest.webmanifest", "/favicon.ico"]),
    );
    for (const rule of rules) expect(rule.headers, rule.source).toEqual(STATIC_SECURITY_HEADERS);
  });
});

describe("the open /metrics listener (KAMDASH_METRICS_PORT)", () => {
  it("answers with the fixed set too, on the metrics and on its 404", async () => {
    const server = createMetricsServer(async () => ({
      text: "up 1\n",
      contentType: "text/plain; version=0.0.4",
    }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      for (const path of ["/metrics", "/other"]) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        const headers = Object.fromEntries(response.headers.entries());
        for (const { key, value } of STATIC_SECURITY_HEADERS)
          expect(headers[key], `${path} ${key}`).toBe(value);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
