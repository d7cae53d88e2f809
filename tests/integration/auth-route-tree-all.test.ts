import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { isPermission, PERMISSION_TABLE, type Permission, roleHas } from "@/lib/auth/permissions";
import type { NextRouteContext, RouteParams } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { proxy } from "@/proxy";
import {
  fillPattern,
  HTTP_METHODS,
  pagePermission,
  pages,
  routeHandlers,
  type TreeEntry,
} from "../support/route-tree";
import {
  base,
  bearerHeaders,
  browserHeaders,
  callRoute,
  sessionFor,
  setupAdminDatabase,
} from "./admin-support";

// EVERY route handler and method of the route tree on disk (GET too), with each kind of caller: none → 401;
// a viewer (token or browser session) → what the permission table gives a viewer; a wall kiosk (its cookie, or its
// token as a bearer) → only the permissions marked kiosk. The expectation comes from the permission each handler
// declares (withAuth sets `.permission`) and lib/auth/permissions.ts, never from a list kept here. Pages: proxy.ts
// sends a caller without credentials to /login; each page names a known permission (checked per role in
// tests/e2e/security-headers.test.ts).

setupAdminDatabase();

/** Handlers that take no credentials, and why. */
const PUBLIC: Record<string, string> = {
  "POST /api/auth/login": "signing in is what creates the session",
  "POST /api/setup": "first-run setup: 404 once an operator exists (tests/e2e/first-run.test.ts)",
  "GET /api/health": "liveness for load balancers and the e2e harness: no data beyond up/down per node",
};
const PUBLIC_PAGES = new Set(["/login", "/setup"]);

type Handler = ((request: Request, context: NextRouteContext<RouteParams>) => Promise<Response>) & {
  permission?: unknown;
};

type Endpoint = { method: (typeof HTTP_METHODS)[number]; route: TreeEntry; handler: Handler };

async function endpoints(): Promise<Endpoint[]> {
  const found: Endpoint[] = [];
  for (const route of routeHandlers()) {
    const module = (await import(route.file)) as Record<string, Handler | undefined>;
    for (const method of HTTP_METHODS) {
      const handler = module[method];
      if (handler) found.push({ method, route, handler });
    }
  }
  return found;
}

const label = (e: Endpoint) => `${e.method} ${e.route.pattern}`;
const placeholders = (route: TreeEntry) =>
  Object.fromEntries(route.params.map((p) => [p, p === "dialog" ? "1:1" : "1"]));

/** Calls the handler; an allowed SSE stream is closed at once. */
async function statusOf(e: Endpoint, headers: Record<string, string>): Promise<number> {
  const path = fillPattern(e.route.pattern, placeholders(e.route));
  const body = e.method === "GET" ? undefined : {};
  const response = await callRoute(e.handler, e.method, path, placeholders(e.route), { headers, body });
  await response.body?.cancel();
  return response.status;
}

function declared(e: Endpoint): Permission {
  const permission = e.handler.permission;
  if (typeof permission !== "string" || !isPermission(permission)) {
    throw new Error(`${label(e)} declares no permission (use withAuth) and is not listed as public`);
  }
  return permission;
}

/** Checks every protected endpoint: allowed ones do not answer 401/403, the others answer exactly 403. */
async function expectByTable(
  headers: Record<string, string>,
  holds: (p: Permission) => boolean,
  who: string,
) {
  const outcome = { allowed: [] as string[], refused: [] as string[] };
  for (const e of await endpoints()) {
    if (PUBLIC[label(e)]) continue;
    const permission = declared(e);
    const status = await statusOf(e, headers);
    const what = `${who}: ${label(e)} (${permission}) → ${status}`;
    if (holds(permission)) {
      expect([401, 403], what).not.toContain(status);
      outcome.allowed.push(label(e));
    } else {
      expect(status, what).toBe(403);
      outcome.refused.push(label(e));
    }
  }
  return outcome;
}

async function kioskToken(): Promise<string> {
  return (await createApiToken({ name: "lobby-wall", role: "admin", kiosk: true })).token;
}

describe("every route handler, every method", () => {
  it("declares a permission from the table (or is a listed public one)", async () => {
    const all = await endpoints();
    expect(all.length).toBeGreaterThanOrEqual(35);
    for (const e of all) if (!PUBLIC[label(e)]) expect(isPermission(declared(e)), label(e)).toBe(true);
    for (const name of Object.keys(PUBLIC)) expect(all.map(label), name).toContain(name);
  });

  it("answers 401 to a caller without credentials, and to a bad token or session", async () => {
    const callers: Record<string, string>[] = [
      {},
      { authorization: "Bearer kd_not-a-real-token" },
      { cookie: "kamdash_session=x" },
    ];
    for (const headers of callers) {
      for (const e of await endpoints()) {
        if (PUBLIC[label(e)]) continue;
        expect(await statusOf(e, headers), `${JSON.stringify(headers)} ${label(e)}`).toBe(401);
      }
    }
  });

  it("gives a viewer's token and a viewer's browser session the viewer's permissions: reads only", async () => {
    const holds = (p: Permission) => roleHas("viewer", p);
    const token = await expectByTable(await bearerHeaders("viewer"), holds, "viewer token");
    const session = await expectByTable(browserHeaders(await sessionFor("viewer")), holds, "viewer session");
    expect(session).toEqual(token);
    expect(token.allowed.length).toBeGreaterThanOrEqual(15);
    for (const allowed of token.allowed) expect(allowed, "a viewer may only read").toMatch(/^GET /);
    expect(await (await getDb()).auditLog.count()).toBe(0);
  });

  it("gives a wall kiosk (cookie or bearer) only the kiosk reads, whatever its token's role", async () => {
    const kioskOnly = (p: Permission) => roleHas("admin", p, true);
    const token = await kioskToken();
    const viaCookie = await expectByTable({ cookie: `kamdash_kiosk=${token}` }, kioskOnly, "kiosk cookie");
    const viaBearer = await expectByTable({ authorization: `Bearer ${token}` }, kioskOnly, "kiosk bearer");
    expect(viaBearer).toEqual(viaCookie);
    const kioskPermissions = Object.entries(PERMISSION_TABLE).filter(([, e]) => e.kiosk);
    expect(kioskPermissions.map(([p]) => p).sort()).toEqual([
      "alerts.read",
      "overview.read",
      "stream.read",
      "wall.read",
    ]);
    // the wall's own reads are among them
    expect(viaCookie.allowed).toEqual(expect.arrayContaining(["GET /api/v1/overview", "GET /api/v1/stream"]));
    for (const allowed of viaCookie.allowed) expect(allowed).toMatch(/^GET /);
    expect(await (await getDb()).auditLog.count()).toBe(0);
  });
});

describe("proxy.ts in front of the whole tree", () => {
  const gate = (path: string) => proxy(new NextRequest(`${base}${path}`));

  it("answers every protected route handler 401 without credentials", async () => {
    for (const route of routeHandlers()) {
      const path = fillPattern(route.pattern, placeholders(route));
      const isPublic = Object.keys(PUBLIC).some((name) => name.endsWith(` ${route.pattern}`));
      const response = gate(path);
      if (isPublic) expect(response.headers.get("x-middleware-next"), path).toBe("1");
      else expect(response.status, path).toBe(401);
    }
  });

  it("sends a browser without credentials from every page to /login (and back after)", () => {
    const checked: string[] = [];
    for (const page of pages()) {
      const path = fillPattern(page.pattern, Object.fromEntries(page.params.map((p) => [p, "x"])));
      const response = gate(path);
      if (PUBLIC_PAGES.has(page.pattern)) {
        expect(response.headers.get("x-middleware-next"), path).toBe("1");
        continue;
      }
      expect(response.status, path).toBe(307);
      const location = new URL(response.headers.get("location") ?? "", base);
      expect(location.pathname, path).toBe("/login");
      if (path !== "/") expect(location.searchParams.get("next"), path).toBe(path);
      checked.push(path);
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });

  it("has every non-public page name a known permission", () => {
    for (const page of pages()) {
      if (PUBLIC_PAGES.has(page.pattern) || page.pattern === "/") continue;
      expect(pagePermission(page), page.pattern).not.toBeNull();
    }
  });
});
