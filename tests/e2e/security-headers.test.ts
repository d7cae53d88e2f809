import { randomBytes } from "node:crypto";
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { roleHas } from "@/lib/auth/permissions";
import { fillPattern, pagePermission, pages } from "../support/route-tree";
import { signIn, waitForLiveStatus } from "./support/page-state";
import { setupDashboardApp } from "./support/suite";

// Security headers on every page of the route tree (found on disk) and on a sample of API, machine, redirect, 401
// and static answers, against the built app in Chromium with its CSP enforced: each page hydrates with no CSP
// violation, the live stream connects, and a script that reached the HTML without the nonce does not run. Then
// each page per role: a viewer and a wall kiosk get exactly what the permission each page names gives them.

const suite = setupDashboardApp();
const viewerPassword = `e2e-viewer-${randomBytes(8).toString("hex")}`;

type Headers = Record<string, string>;

/** Every header we require, on any answer of a page or route proxy.ts runs on; returns the nonce. */
function expectSecurityHeaders(headers: Headers, what: string, https = false): string {
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toMatch(/^(strict-origin-when-cross-origin|no-referrer)$/);
  if (https) expect(headers["strict-transport-security"], what).toMatch(/^max-age=\d{7,}/);
  else expect(headers["strict-transport-security"], what).toBeUndefined();
  const csp = headers["content-security-policy"] ?? "";
  const directive = (name: string) =>
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .find(([n]) => n === name)
      ?.slice(1) ?? [];
  const script = directive("script-src");
  const nonce = script.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce, `${what}: ${csp}`).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
  expect(script, what).not.toContain("'unsafe-inline'");
  expect(directive("frame-ancestors"), what).toEqual(["'none'"]);
  expect(directive("connect-src"), what).toEqual(["'self'"]);
  return nonce ?? "";
}

/** Records CSP violations in every document the page loads (the init script itself is not subject to the CSP). */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** React has hydrated the document: its fiber is attached to <body>. */
async function waitHydrated(page: Page, what: string): Promise<void> {
  await page
    .waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")), undefined, {
      timeout: 15_000,
    })
    .catch(() => {
      throw new Error(`${what}: the page did not hydrate`);
    });
}

/** Every answer on the way to `response` (the redirects it followed, then itself). */
async function chain(response: Response): Promise<{ url: string; status: number; headers: Headers }[]> {
  const hops: { url: string; status: number; headers: Headers }[] = [];
  for (let request = response.request().redirectedFrom(); request; request = request.redirectedFrom()) {
    const hop = await request.response();
    if (hop) hops.unshift({ url: request.url(), status: hop.status(), headers: await hop.allHeaders() });
  }
  hops.push({ url: response.url(), status: response.status(), headers: await response.allHeaders() });
  return hops;
}

/** Real values for the dynamic segments: the lab node, a lab user. */
function pageUrls(): { pattern: string; path: string }[] {
  const lab = suite.lab();
  const values = { name: "lab", aor: `1001@${lab.domain}` };
  return pages().map((p) => ({ pattern: p.pattern, path: fillPattern(p.pattern, values) }));
}

describe("security headers", () => {
  it("every page: all headers, a fresh nonce, hydrated with the CSP enforced, no violation", async () => {
    const { page, errors } = await suite.newPage();
    await recordViolations(page);
    const base = suite.baseUrl();
    await signIn(page, base, "/overview", "admin", suite.adminPassword);
    await waitForLiveStatus(page, "live"); // the SSE stream connects under connect-src 'self'
    const nonces = new Set<string>();
    const checked: string[] = [];
    for (const { path } of pageUrls()) {
      const response = await page.goto(`${base}${path}`);
      if (!response) throw new Error(`${path}: no response`);
      for (const hop of await chain(response)) {
        nonces.add(expectSecurityHeaders(hop.headers, `${path}: ${hop.status} ${hop.url}`));
      }
      expect(response.status(), path).toBe(200);
      await waitHydrated(page, path);
      // Next stamped the answer's nonce on its own scripts: none runs without it
      const nonce = expectSecurityHeaders(await response.allHeaders(), path);
      const scripts = await page.$$eval("script", (list) => list.map((s) => s.nonce));
      expect(scripts.length, path).toBeGreaterThan(0);
      expect(
        scripts.every((n) => n === nonce),
        path,
      ).toBe(true);
      expect(await violations(page), path).toEqual([]);
      checked.push(path);
    }
    expect(checked).toEqual(expect.arrayContaining(["/overview", "/wall", "/admin/nodes", "/nodes/lab"]));
    expect(nonces.size).toBeGreaterThanOrEqual(checked.length);
    // client-side navigation (RSC fetches) still works under the CSP. Not from /overview: a click there stalls
    // in this build whatever the CSP (seen 2026-12-01 during the node-table rework; reported to the lead).
    await page.goto(`${base}/events`);
    await waitHydrated(page, "/events");
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/connections"),
      page.click("nav[aria-label='Main'] a[href='/connections']"),
    ]);
    await page.waitForSelector("h1, h2, [data-testid]");
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);

    // the sign-in and setup pages, signed out (setup sends to /login once an admin exists)
    const anonymous = await suite.newPage();
    await recordViolations(anonymous.page);
    for (const path of ["/login", "/setup"]) {
      const response = await anonymous.page.goto(`${base}${path}`);
      if (!response) throw new Error(`${path}: no response`);
      for (const hop of await chain(response)) expectSecurityHeaders(hop.headers, `${path}: ${hop.url}`);
      await waitHydrated(anonymous.page, path);
    }
    expect(await violations(anonymous.page)).toEqual([]);
    expect(anonymous.errors).toEqual([]);
  });

  it("API routes, /metrics, 401s, redirects and static files carry them; HSTS only under https", async () => {
    const base = suite.baseUrl();
    const { createApiToken } = await import("@/lib/auth/api-tokens");
    const { token } = await createApiToken({ name: "e2e-headers", role: "admin" });
    const bearer = { authorization: `Bearer ${token}` };
    const get = async (path: string, headers: Headers = {}) => {
      const response = await fetch(`${base}${path}`, { headers, redirect: "manual" });
      const all = Object.fromEntries(response.headers.entries());
      await response.body?.cancel();
      return { status: response.status, headers: all };
    };
    const sample: [string, Headers, number][] = [
      ["/api/v1/overview", bearer, 200],
      ["/api/v1/nodes", bearer, 200],
      ["/api/v1/alerts/rules", bearer, 200],
      ["/api/v1/audit", bearer, 200],
      ["/api/v1/stream", bearer, 200],
      ["/api/health", {}, 200],
      ["/metrics", bearer, 200],
      ["/metrics", {}, 401],
      ["/api/v1/nodes", {}, 401],
      ["/api/v1/tokens", { authorization: "Bearer kd_nope" }, 401],
      ["/admin", {}, 307],
      ["/no-such-page", bearer, 404],
    ];
    for (const [path, headers, status] of sample) {
      const answer = await get(path, headers);
      expect(answer.status, path).toBe(status);
      expectSecurityHeaders(answer.headers, `${path} ${status}`);
      const https = await get(path, { ...headers, "x-forwarded-proto": "https" });
      expectSecurityHeaders(https.headers, `${path} ${status} (https)`, true);
    }
    // the kiosk swap: a redirect that keeps the token out of any Referer
    const kiosk = await get(`/wall?kiosk=${await suite.createKioskToken("e2e-headers-kiosk")}`);
    expect(kiosk.status).toBe(303);
    expectSecurityHeaders(kiosk.headers, "kiosk redirect");
    expect(kiosk.headers["referrer-policy"]).toBe("no-referrer");

    // what proxy.ts skips: Next's chunks and public/ get the fixed set (no page renders there, so no nonce)
    const html = await (await fetch(`${base}/login`)).text();
    const chunk = html.match(/\/_next\/static\/[^"']+\.js/)?.[0];
    if (!chunk) throw new Error("no script chunk in /login");
    for (const path of [chunk, "/icon.svg", "/manifest.webmanifest"]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers["x-content-type-options"], path).toBe("nosniff");
      expect(answer.headers["x-frame-options"], path).toBe("DENY");
      expect(answer.headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(answer.headers["content-security-policy"], path).toMatch(/^default-src 'none'/);
      expect(answer.headers["content-security-policy"], path).not.toContain("script-src");
    }
  });

  it("a script that reached the HTML without the nonce does not run", async () => {
    const { page } = await suite.newPage();
    await recordViolations(page);
    const base = suite.baseUrl();
    await signIn(page, base, "/overview", "admin", suite.adminPassword);
    const hostile = `kd-${randomBytes(4).toString("hex")}<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
    const escaped = hostile
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
    // The search page echoes the query as text. Pretend the escaping failed: put the raw markup back into the HTML
    // the server sent, keeping its headers (and so its CSP).
    let injected = 0;
    await page.route(
      (url) => url.pathname === "/search",
      async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace(escaped, () => {
          injected += 1;
          return hostile;
        });
        await route.fulfill({ response, body });
      },
    );
    await page.goto(`${base}/search?q=${encodeURIComponent(hostile)}`);
    await page.waitForLoadState("load");
    expect(injected).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    const seen = await violations(page);
    expect(seen.some((v) => v.startsWith("script-src-elem inline"))).toBe(true);
    expect(seen.some((v) => v.startsWith("script-src-attr inline"))).toBe(true);
    // markup added at run time (an innerHTML sink) cannot run a handler either
    await page.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", `<img id="late" src="/x.png" onerror="window.__xss=3">`);
    });
    await page.waitForFunction(
      () =>
        (window as unknown as { __csp: string[] }).__csp.filter((v) => v.startsWith("script-src-attr"))
          .length >= 2,
    );
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it("each page per role: a viewer and a wall kiosk get what the page's permission gives them", async () => {
    const base = suite.baseUrl();
    const { createOperator } = await import("@/lib/auth/operators");
    await createOperator({ username: "e2e-sec-viewer", password: viewerPassword, role: "viewer" });
    const viewer = await suite.newPage();
    await signIn(viewer.page, base, "/overview", "e2e-sec-viewer", viewerPassword);
    const kiosk = await suite.newPage();
    await recordViolations(kiosk.page);
    await kiosk.page.goto(`${base}/wall?kiosk=${await suite.createKioskToken("e2e-sec-kiosk")}`);
    await kiosk.page.waitForURL((url) => url.pathname === "/wall" && url.search === "");
    // the wall kiosk goes live (SSE) with the CSP enforced
    await waitForLiveStatus(kiosk.page, "live");
    expect(await violations(kiosk.page)).toEqual([]);
    const byPattern = new Map(pages().map((p) => [p.pattern, p]));
    const seen: Record<string, string> = {};
    for (const { pattern, path } of pageUrls()) {
      const entry = byPattern.get(pattern);
      const permission = entry ? pagePermission(entry) : null;
      if (!permission) continue;
      for (const [who, page, kioskMode] of [
        ["viewer", viewer.page, false],
        ["kiosk", kiosk.page, true],
      ] as const) {
        const response = await page.goto(`${base}${path}`);
        const expected = roleHas("viewer", permission, kioskMode) ? 200 : 403;
        expect(response?.status(), `${who} ${path} (${permission})`).toBe(expected);
        expectSecurityHeaders((await response?.allHeaders()) ?? {}, `${who} ${path}`);
        seen[`${who} ${path}`] = String(response?.status());
      }
    }
    expect(seen["kiosk /wall"]).toBe("200");
    expect(seen["kiosk /admin/tokens"]).toBe("403");
    expect(seen["viewer /admin"]).toBe("403");
    expect(seen["viewer /connections"]).toBe("200");
    expect(seen["kiosk /connections"]).toBe("403");
  });
});
