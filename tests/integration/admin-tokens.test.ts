import { describe, expect, it } from "vitest";
import { DELETE as deleteTokenRoute } from "@/app/api/v1/tokens/[id]/route";
import { GET as getTokensRoute, POST as postTokensRoute } from "@/app/api/v1/tokens/route";
import { resolveApiToken, resolveKioskToken } from "@/lib/auth/api-tokens";
import type { CreatedToken } from "@/lib/auth/token-admin";
import {
  auditRows,
  bearerHeaders,
  browserHeaders,
  callRoute,
  errorOf,
  sessionFor,
  setupAdminDatabase,
} from "./admin-support";

// API tokens created and revoked over the JSON API (the admin page's server actions call the same service).

setupAdminDatabase();

const postToken = (headers: Record<string, string>, body: unknown) =>
  callRoute(postTokensRoute, "POST", "/api/v1/tokens", {}, { headers, body });
const deleteToken = (headers: Record<string, string>, id: string) =>
  callRoute(deleteTokenRoute, "DELETE", `/api/v1/tokens/${id}`, { id }, { headers });

describe("tokens over the API", () => {
  it("lets an admin create a kiosk token (shown once, with its wall path) and revoke it, audited", async () => {
    const headers = await bearerHeaders("admin");
    const response = await postToken(headers, { name: "lobby wall", role: "viewer", kiosk: true });
    expect(response.status).toBe(201);
    const created = (await response.json()) as CreatedToken;
    expect(created).toMatchObject({ name: "lobby wall", role: "viewer", kiosk: true, revokedAt: null });
    expect(created.token).toMatch(/^kd_[A-Za-z0-9_-]{43}$/);
    expect(created.wallPath).toBe(`/wall?kiosk=${created.token}`);
    expect((await resolveKioskToken(created.token))?.name).toBe("lobby wall");

    const listed = await callRoute(getTokensRoute, "GET", "/api/v1/tokens", {}, { headers });
    expect(listed.status).toBe(200);
    const listedText = await listed.text();
    expect(listedText).toContain('"lobby wall"');
    expect(listedText).not.toContain(created.token.slice(10));

    const revoked = await deleteToken(headers, String(created.id));
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ revoked: { id: created.id, name: "lobby wall" } });
    expect(await resolveKioskToken(created.token)).toBeNull();
    expect(await resolveApiToken(created.token)).toBeNull();
    expect((await deleteToken(headers, String(created.id))).status).toBe(404);
    expect((await deleteToken(headers, "999999")).status).toBe(404);
    expect((await deleteToken(headers, "abc")).status).toBe(404);

    const audit = await auditRows();
    expect(audit.map((row) => [row.actor, row.action, row.target, row.result])).toEqual([
      ["token:admin-script", "token.create", `token:${created.id}`, "ok"],
      ["token:admin-script", "token.revoke", `token:${created.id}`, "ok"],
    ]);
    expect(audit[0]?.detail).toEqual({
      name: "lobby wall",
      role: "viewer",
      kiosk: true,
      prefix: created.token.slice(0, 10),
    });
    expect(JSON.stringify(audit.map(({ id: _id, ...row }) => row))).not.toContain(created.token.slice(10));
  });

  it("creates a plain token without a wall path; role defaults to viewer", async () => {
    const created = (await (
      await postToken(await bearerHeaders("admin"), { name: "grafana" })
    ).json()) as CreatedToken;
    expect(created).toMatchObject({ name: "grafana", role: "viewer", kiosk: false, wallPath: null });
    expect((await resolveApiToken(created.token))?.role).toBe("viewer");
  });

  it("refuses viewers and operators with 403, and a cookie session without the CSRF header", async () => {
    const victim = (await (
      await postToken(await bearerHeaders("admin"), { name: "victim" })
    ).json()) as CreatedToken;
    for (const role of ["viewer", "operator"] as const) {
      const refusedHeaders = [await bearerHeaders(role), browserHeaders(await sessionFor(role))];
      for (const headers of refusedHeaders) {
        const create = await postToken(headers, { name: `by-${role}`, role: "admin" });
        expect(create.status, role).toBe(403);
        expect((await errorOf(create)).code).toBe("forbidden");
        expect((await deleteToken(headers, String(victim.id))).status, role).toBe(403);
      }
    }
    const admin = await sessionFor("admin");
    const noCsrf = { cookie: admin.cookie, origin: "http://127.0.0.1:3000" };
    const refused = await postToken(noCsrf, { name: "from-browser" });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe("csrf_failed");
    expect((await deleteToken(noCsrf, String(victim.id))).status).toBe(403);
    expect(await resolveApiToken(victim.token)).not.toBeNull();

    const accepted = await postToken(browserHeaders(admin), { name: "from-browser" });
    expect(accepted.status).toBe(201);
    expect((await auditRows()).map((row) => [row.actor, row.action])).toEqual([
      ["token:admin-script", "token.create"],
      ["operator:admin-user", "token.create"],
    ]);
  });

  it("answers 422 naming the field and 409 for the name of a live token", async () => {
    const headers = await bearerHeaders("admin");
    const cases: [unknown, string][] = [
      [{ name: " " }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: "ci", role: "root" }, "role"],
      [{ name: "ci", kiosk: "yes" }, "kiosk"],
    ];
    for (const [body, field] of cases) {
      const response = await postToken(headers, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await errorOf(response)).issues?.map((issue) => issue.path)).toEqual([field]);
    }
    const first = (await (await postToken(headers, { name: "ci" })).json()) as CreatedToken;
    const taken = await postToken(headers, { name: "ci", role: "admin" });
    expect(taken.status).toBe(409);
    expect(await errorOf(taken)).toMatchObject({ code: "conflict" });
    // a revoked token's name is free again
    expect((await deleteToken(headers, String(first.id))).status).toBe(200);
    expect((await postToken(headers, { name: "ci" })).status).toBe(201);
  });
});
