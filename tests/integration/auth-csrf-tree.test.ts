import { describe, expect, it } from "vitest";
import type { NextRouteContext, RouteParams } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { fillPattern, routeHandlers } from "../support/route-tree";
import { base, browserHeaders, callRoute, errorOf, sessionFor, setupAdminDatabase } from "./admin-support";

// CSRF on every cookie-authenticated mutation of the route tree (found on disk), signed in as an admin (who holds
// every permission, so CSRF is the only reason to refuse): without the x-csrf-token header, with a wrong one, from
// a cross-site Origin or with no Origin at all → 403 csrf_failed, and nothing in the database changes.

setupAdminDatabase();

const MUTATING = ["POST", "PUT", "PATCH", "DELETE"] as const;
/** Mutations that take no session (tests/integration/auth-route-tree.test.ts says why). */
const PUBLIC = new Set(["/api/auth/login", "/api/setup"]);

type Handler = (request: Request, context: NextRouteContext<RouteParams>) => Promise<Response>;

async function mutations() {
  const found: { method: string; path: string; params: Record<string, string>; handler: Handler }[] = [];
  for (const route of routeHandlers()) {
    if (PUBLIC.has(route.pattern)) continue;
    const module = (await import(route.file)) as Record<string, Handler | undefined>;
    const params = Object.fromEntries(route.params.map((p) => [p, p === "dialog" ? "1:1" : "1"]));
    for (const method of MUTATING) {
      const handler = module[method];
      if (handler) found.push({ method, path: fillPattern(route.pattern, params), params, handler });
    }
  }
  return found;
}

/** Row counts of what a mutation could change. */
async function snapshot() {
  const db = await getDb();
  return {
    audit: await db.auditLog.count(),
    nodes: await db.kamailioNode.count(),
    tokens: await db.apiToken.count(),
    operators: await db.operator.count(),
    sessions: await db.session.count(),
    alertRules: await db.alertRule.count(),
  };
}

describe("CSRF on every cookie-authenticated mutation", () => {
  it("refuses a missing or wrong token, a cross-site or missing Origin; changes nothing", async () => {
    const session = await sessionFor("admin");
    const good = browserHeaders(session);
    const { "x-csrf-token": _token, ...withoutToken } = good;
    const { origin: _origin, ...withoutOrigin } = good;
    const attempts: Record<string, Record<string, string>> = {
      "no x-csrf-token": withoutToken,
      "wrong x-csrf-token": { ...good, "x-csrf-token": `${session.csrf.slice(0, -2)}xx` },
      "x-csrf-token of another session": { ...good, "x-csrf-token": (await sessionFor("operator")).csrf },
      "cross-site Origin": { ...good, origin: "https://evil.example" },
      "Origin null": { ...good, origin: "null" },
      "no Origin": withoutOrigin,
    };
    const before = await snapshot();
    const all = await mutations();
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const m of all) {
      for (const [attempt, headers] of Object.entries(attempts)) {
        const body = { name: "csrf-node", rpcUrl: "http://127.0.0.1:1/RPC", enabled: false };
        const response = await callRoute(m.handler, m.method, m.path, m.params, { headers, body });
        const what = `${m.method} ${m.path}: ${attempt}`;
        expect(response.status, what).toBe(403);
        expect((await errorOf(response)).code, what).toBe("csrf_failed");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("accepts the same mutation with the session's token from our own origin (the test can tell)", async () => {
    const session = await sessionFor("admin");
    const { POST } = await import("@/app/api/v1/nodes/route");
    const response = await callRoute(
      POST,
      "POST",
      "/api/v1/nodes",
      {},
      {
        headers: browserHeaders(session),
        body: { name: "csrf-ok", rpcUrl: "http://127.0.0.1:1/RPC" },
      },
    );
    expect(response.status).toBe(201);
    expect(await (await getDb()).kamailioNode.count({ where: { name: "csrf-ok" } })).toBe(1);
  });

  it("refuses a wall kiosk's cookie on every mutation (it has no CSRF token)", async () => {
    const { createApiToken } = await import("@/lib/auth/api-tokens");
    const { token } = await createApiToken({ name: "wall", role: "admin", kiosk: true });
    const before = await snapshot();
    for (const m of await mutations()) {
      const headers = { cookie: `kamdash_kiosk=${token}`, origin: base };
      const response = await callRoute(m.handler, m.method, m.path, m.params, { headers, body: {} });
      expect(response.status, `${m.method} ${m.path}`).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses the JSON sign-in from a cross-site Origin (no login CSRF)", async () => {
    await sessionFor("admin");
    const { POST } = await import("@/app/api/auth/login/route");
    const response = await POST(
      new Request(`${base}/api/auth/login`, {
        method: "POST",
        headers: {
          host: "127.0.0.1:3000",
          origin: "https://evil.example",
          "content-type": "application/json",
        },
        body: JSON.stringify({ username: "admin-user", password: "long enough password" }),
      }),
    );
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("csrf_failed");
  });
});
