import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { bearerHeaders, callRoute, setupAdminDatabase } from "./admin-support";

// Every mutating route handler in the app's route tree, found on disk (so a new route cannot be missed), called
// with a viewer's token: each must answer 403 and change nothing.

setupAdminDatabase();

const MUTATING = ["POST", "PUT", "PATCH", "DELETE"] as const;
/** Mutations that take no session, and why. */
const PUBLIC_MUTATIONS: Record<string, string> = {
  "/api/auth/login": "signing in is what creates the session",
  "/api/setup":
    "first-run setup creates the first admin before anyone can sign in: 404 once an operator exists, else only " +
    "from this machine or with the setup code (tests/e2e/first-run.test.ts, tests/unit/auth-setup-access.test.ts)",
};

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const appDir = path.resolve("app");
const routes = routeFiles(appDir).map((file) => {
  const segments = path.relative(appDir, path.dirname(file)).split(path.sep);
  const urlPath = `/${segments.filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
  const params = Object.fromEntries(
    segments
      .filter((s) => /^\[.+\]$/.test(s))
      .map((s) => [s.slice(1, -1), s.includes("dialog") ? "1:1" : "1"]),
  );
  return { file, urlPath, params };
});

describe("the route tree", () => {
  it("is found on disk (the action routes among them)", () => {
    const paths = routes.map((r) => r.urlPath);
    expect(paths).toContain("/api/v1/nodes/[name]/connections/[id]/close");
    expect(paths).toContain("/api/v1/tokens");
  });

  it("refuses a viewer (403) on every mutating handler, and nothing is audited", async () => {
    const headers = await bearerHeaders("viewer");
    const checked: string[] = [];
    for (const route of routes) {
      const module = (await import(route.file)) as Record<string, unknown>;
      for (const method of MUTATING) {
        const handler = module[method] as Handler | undefined;
        if (!handler) continue;
        if (PUBLIC_MUTATIONS[route.urlPath]) continue;
        const response = await callRoute(handler, method, route.urlPath, route.params, { headers, body: {} });
        expect(response.status, `${method} ${route.urlPath}`).toBe(403);
        checked.push(`${method} ${route.urlPath}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
    expect(await (await getDb()).auditLog.count()).toBe(0);
  });
});
