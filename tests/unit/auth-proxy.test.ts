import { readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";

const base = "http://127.0.0.1:3000";

/** Path and query of a redirect (Next may rewrite 127.0.0.1 to localhost in absolute URLs). */
function target(response: Response): string {
  const url = new URL(response.headers.get("location") ?? "", base);
  return `${url.pathname}${url.search}`;
}

function call(path: string, headers: Record<string, string> = {}) {
  return proxy(new NextRequest(`${base}${path}`, { headers }));
}

describe("proxy.ts coarse gate", () => {
  it("sends pages without credentials to /login with the page as next", () => {
    const response = call("/nodes/lab?range=1h");
    expect(response.status).toBe(307);
    expect(target(response)).toBe("/login?next=%2Fnodes%2Flab%3Frange%3D1h");
    expect(target(call("/"))).toBe("/login");
  });

  it("answers API calls without credentials with 401 JSON", async () => {
    const response = call("/api/v1/nodes");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthorized", message: "Sign in or send a valid API token" },
    });
  });

  it("lets /login, /api/health and the JSON login through without credentials", () => {
    for (const path of ["/login", "/login?next=/admin", "/api/health", "/api/auth/login"]) {
      expect(call(path).headers.get("x-middleware-next"), path).toBe("1");
    }
  });

  it("lets requests with a session cookie, kiosk cookie or bearer header through (validity is checked later)", () => {
    expect(call("/admin", { cookie: "kamdash_session=x" }).headers.get("x-middleware-next")).toBe("1");
    expect(call("/wall", { cookie: "kamdash_kiosk=x" }).headers.get("x-middleware-next")).toBe("1");
    expect(call("/api/v1/nodes", { authorization: "Bearer kd_x" }).headers.get("x-middleware-next")).toBe(
      "1",
    );
    expect(call("/admin", { cookie: "other=1" }).status).toBe(307);
  });

  it("tells pages their path in a header it always overwrites", () => {
    const response = call("/admin/tokens?x=1", { cookie: "kamdash_session=x", "x-kamdash-path": "//evil" });
    expect(response.headers.get("x-middleware-request-x-kamdash-path")).toBe("/admin/tokens?x=1");
  });

  it("swaps /wall?kiosk=<token> for an HttpOnly cookie and a clean /wall", () => {
    const token = `kd_${"a".repeat(43)}`;
    const response = call(`/wall?kiosk=${token}&dark=1`);
    expect(response.status).toBe(303);
    expect(target(response)).toBe("/wall?dark=1");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`kamdash_kiosk=${token}`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie.toLowerCase()).toContain("samesite=lax");
    expect(cookie).not.toContain("Secure");
    const https = call(`/wall?kiosk=${token}`, { "x-forwarded-proto": "https" });
    expect(https.headers.get("set-cookie")).toContain("Secure");
  });

  it("sends a malformed kiosk token to /login without setting a cookie", () => {
    const response = call("/wall?kiosk=<script>");
    expect(response.status).toBe(303);
    expect(target(response)).toBe("/login?next=%2Fwall&kiosk=invalid");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("runs on everything but static assets and public/ (icon, web manifest), which exist", () => {
    const [matcher] = config.matcher;
    const runsOn = (path: string) => new RegExp(`^${matcher}$`).test(path);
    for (const asset of ["/icon.svg", "/manifest.webmanifest", "/_next/static/x.js", "/favicon.ico"]) {
      expect(runsOn(asset), asset).toBe(false);
    }
    for (const page of ["/wall", "/overview", "/api/v1/overview", "/metrics"])
      expect(runsOn(page), page).toBe(true);
    const publicDir = path.resolve(import.meta.dirname, "../../public");
    const manifest = JSON.parse(readFileSync(path.join(publicDir, "manifest.webmanifest"), "utf8"));
    expect(manifest).toMatchObject({ name: "kamdash", icons: [{ src: "/icon.svg" }] });
    expect(readFileSync(path.join(publicDir, "icon.svg"), "utf8")).toContain("<svg");
  });
});
