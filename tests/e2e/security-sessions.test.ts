import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/ports";
import { fillPattern, pages, routeHandlers } from "../support/route-tree";
import { signIn } from "./support/page-state";
import { setupDashboardApp } from "./support/suite";

// Against the built app over real HTTP: session fixation (a session id chosen before sign-in is never adopted and
// is dead after sign-in and sign-out), CSRF on a cookie-authenticated mutation, and secrets (RPC credentials in a
// node URL, webhook credentials and HMAC key, DATABASE_URL, the admin password) never in any API answer or page.

const HOOK_PASSWORD = `hookpw${randomBytes(6).toString("hex")}`;
const HOOK_TOKEN = `hooktoken${randomBytes(6).toString("hex")}`;
const HOOK_KEY = `hmackey${randomBytes(12).toString("hex")}`;
const RPC_PASSWORD = `rpcpw${randomBytes(6).toString("hex")}`;
const suite = setupDashboardApp({
  KAMDASH_ALERT_WEBHOOKS: `http://hookuser:${HOOK_PASSWORD}@127.0.0.1:9/hook?token=${HOOK_TOKEN}`,
  KAMDASH_ALERT_WEBHOOK_SECRET: HOOK_KEY,
});
const password = `e2e-${randomBytes(8).toString("hex")}`;

/** The session cookie a sign-in answer sets. */
function sessionCookieOf(response: Response): string | null {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("kamdash_session="));
  return cookie ? (cookie.split(";")[0]?.slice("kamdash_session=".length) ?? null) : null;
}

async function jsonSignIn(username: string, cookie?: string): Promise<{ session: string; csrf: string }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${suite.baseUrl()}/api/auth/login`, {
    method: "POST",
    headers,
    body: JSON.stringify({ username, password }),
  });
  expect(response.status, `sign-in of ${username}`).toBe(200);
  const session = sessionCookieOf(response);
  if (!session) throw new Error("no session cookie set");
  return { session, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** Who /api/auth/me says a session cookie is (null when it answers 401). */
async function whoIs(session: string): Promise<string | null> {
  const response = await fetch(`${suite.baseUrl()}/api/auth/me`, {
    headers: { cookie: `kamdash_session=${session}` },
  });
  if (response.status === 401) return null;
  expect(response.status).toBe(200);
  return ((await response.json()) as { name: string }).name;
}

/** The body of a GET, or what arrived of it within `ms` (the SSE stream never ends). */
async function bodyWithin(url: string, headers: Record<string, string>, ms: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let text = "";
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      text += decoder.decode(read.value, { stream: true });
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return text;
}

describe("sessions", () => {
  it("never adopts a session id planted before sign-in; the old id is dead after sign-in and sign-out", async () => {
    const { createOperator } = await import("@/lib/auth/operators");
    await createOperator({ username: "e2e-victim", password, role: "operator" });
    await createOperator({ username: "e2e-attacker", password, role: "viewer" });
    const base = suite.baseUrl();

    // an id the attacker made up, planted in the victim's browser: not a session, replaced at sign-in
    const invented = randomBytes(32).toString("base64url");
    const { page } = await suite.newPage();
    await page.context().addCookies([{ name: "kamdash_session", value: invented, url: base }]);
    await signIn(page, base, "/events", "e2e-victim", password);
    const cookie = (await page.context().cookies(base)).find((c) => c.name === "kamdash_session");
    expect(cookie?.value).toBeDefined();
    expect(cookie?.value).not.toBe(invented);
    expect(cookie?.httpOnly).toBe(true);
    expect(await whoIs(invented)).toBeNull();
    const browserSession = cookie?.value ?? "";
    expect(await whoIs(browserSession)).toBe("e2e-victim");

    // the attacker's own live session planted in the victim's browser: the victim's sign-in ends it
    const attacker = await jsonSignIn("e2e-attacker");
    expect(await whoIs(attacker.session)).toBe("e2e-attacker");
    const victim = await jsonSignIn("e2e-victim", `kamdash_session=${attacker.session}`);
    expect(victim.session).not.toBe(attacker.session);
    expect(await whoIs(attacker.session)).toBeNull();
    expect(await whoIs(victim.session)).toBe("e2e-victim");

    // signing out through the page ends that session on the server, not only in the browser
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/login"),
      page.getByRole("button", { name: "Sign out" }).click(),
    ]);
    expect(await whoIs(browserSession)).toBeNull();
    expect((await page.context().cookies(base)).some((c) => c.name === "kamdash_session")).toBe(false);
    expect((await page.goto(`${base}/overview`))?.url()).toContain("/login");
    // the other sign-in of the same operator is untouched
    expect(await whoIs(victim.session)).toBe("e2e-victim");
  });

  it("refuses a cookie-authenticated mutation without the CSRF header, with a wrong one or cross-site", async () => {
    const { createOperator } = await import("@/lib/auth/operators");
    await createOperator({ username: "e2e-csrf-admin", password, role: "admin" });
    const { session, csrf } = await jsonSignIn("e2e-csrf-admin");
    const base = suite.baseUrl();
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/api/v1/nodes`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `kamdash_session=${session}`, ...headers },
        body: JSON.stringify({ name: "csrf-edge", rpcUrl: "http://127.0.0.1:9/RPC" }),
      });
    const attempts: Record<string, Record<string, string>> = {
      "no header": { origin: base },
      "wrong header": { origin: base, "x-csrf-token": "x".repeat(43) },
      "cross-site": { origin: "https://evil.example", "x-csrf-token": csrf },
    };
    for (const [what, headers] of Object.entries(attempts)) {
      const response = await post(headers);
      expect(response.status, what).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code, what).toBe("csrf_failed");
    }
    const { getDb } = await import("@/lib/db");
    expect(await (await getDb()).kamailioNode.count({ where: { name: "csrf-edge" } })).toBe(0);
    expect((await post({ origin: base, "x-csrf-token": csrf })).status).toBe(201);
  });
});

describe("secrets", () => {
  it("are never in an API answer or a page, also after the node with them failed to answer", async () => {
    const base = suite.baseUrl();
    const { createApiToken } = await import("@/lib/auth/api-tokens");
    const bearer = {
      authorization: `Bearer ${(await createApiToken({ name: "e2e-secrets", role: "admin" })).token}`,
    };
    const rpcUrl = `http://rpcuser:${RPC_PASSWORD}@127.0.0.1:${await freePort()}/RPC`;
    const added = await fetch(`${base}/api/v1/nodes`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ name: "secret-edge", rpcUrl }),
    });
    expect(added.status).toBe(201);
    const planted = [RPC_PASSWORD, HOOK_PASSWORD, HOOK_TOKEN, HOOK_KEY, suite.adminPassword];
    const databaseUrl = process.env.DATABASE_URL ?? "";
    expect(databaseUrl).toMatch(/^postgres/);
    const expectClean = (text: string, where: string) => {
      for (const secret of [...planted, databaseUrl])
        expect(text.includes(secret), `${where}: ${secret}`).toBe(false);
    };
    expectClean(await added.text(), "POST /api/v1/nodes");
    // let the poller try the node (and fail: nothing listens there) so its error is stored and shown
    await new Promise((r) => setTimeout(r, 6_000));

    const values = { name: "secret-edge", aor: "1001@example.invalid", id: "1" };
    let read = 0;
    for (const route of routeHandlers()) {
      const module = (await import(route.file)) as Record<string, unknown>;
      if (!module.GET) continue;
      const path = fillPattern(route.pattern, values);
      const text = await bodyWithin(`${base}${path}`, bearer, 4_000);
      expectClean(text, `GET ${path}`);
      read += 1;
    }
    expect(read).toBeGreaterThanOrEqual(15);

    const { page } = await suite.newPage();
    await signIn(page, base, "/admin/nodes", "admin", suite.adminPassword);
    expect(await page.locator("body").textContent()).toContain("secret-edge");
    for (const entry of pages()) {
      const path = fillPattern(entry.pattern, values);
      await page.goto(`${base}${path}`);
      expectClean(await page.content(), `page ${path}`);
    }
  });
});
