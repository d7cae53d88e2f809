import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { attemptLogin } from "@/lib/auth/login";
import { createOperator } from "@/lib/auth/operators";
import { LoginThrottle } from "@/lib/auth/rate-limit";
import { deleteSession } from "@/lib/auth/sessions";
import { stillAuthorized, withAuth } from "@/lib/auth/with-auth";
import { captureLog } from "../support/log-capture";
import { setupAuthDatabase } from "./auth-database";

// The wrapper with real Requests, real sessions and tokens in PostgreSQL.

setupAuthDatabase();

const base = "http://127.0.0.1:3000";
const noParams = { params: Promise.resolve({}) };

const readNodes = withAuth("nodes.read", (_request, { actor }) => Response.json({ who: actor.kind }));
const writeNode = withAuth<{ name: string }>("nodes.write", (_request, { actor, params }) =>
  Response.json({ who: actor.kind, name: params.name }),
);
const readWall = withAuth("wall.read", () => Response.json({ ok: true }));

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(`${base}${path}`, {
    method: init.method ?? "GET",
    headers: { host: "127.0.0.1:3000", ...init.headers },
  });
}

async function sessionFor(role: "viewer" | "operator" | "admin") {
  const username = `${role}-user`;
  await createOperator({ username, password: "long enough password", role });
  const result = await attemptLogin({
    username,
    password: "long enough password",
    clientIp: null,
    limiter: new LoginThrottle({ kind: "memory" }),
  });
  if (!result.ok) throw new Error("login failed");
  return { cookie: `kamdash_session=${result.token}`, csrf: result.csrfToken };
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe("withAuth", () => {
  it("answers 401 without credentials and with a bad bearer token", async () => {
    const none = await readNodes(request("/api/v1/nodes"), noParams);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    const bad = await readNodes(
      request("/api/v1/nodes", { headers: { authorization: "Bearer kd_nope" } }),
      noParams,
    );
    expect(bad.status).toBe(401);
    const basic = await readNodes(
      request("/api/v1/nodes", { headers: { authorization: "Basic eDp5" } }),
      noParams,
    );
    expect(basic.status).toBe(401);
  });

  it("answers 403 (never 401) when the role lacks the permission", async () => {
    const viewer = await createApiToken({ name: "viewer", role: "viewer" });
    const headers = { authorization: `Bearer ${viewer.token}` };
    expect((await readNodes(request("/api/v1/nodes", { headers }), noParams)).status).toBe(200);
    const denied = await writeNode(request("/api/v1/nodes/lab", { method: "PUT", headers }), {
      params: Promise.resolve({ name: "lab" }),
    });
    expect(denied.status).toBe(403);
    expect(await errorCode(denied)).toBe("forbidden");
  });

  it("passes the actor and route params to the handler; bearer mutations need no CSRF token", async () => {
    const admin = await createApiToken({ name: "automation", role: "admin" });
    const response = await writeNode(
      request("/api/v1/nodes/lab", { method: "PUT", headers: { authorization: `Bearer ${admin.token}` } }),
      { params: Promise.resolve({ name: "lab" }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ who: "token", name: "lab" });
  });

  it("does not fall back to the cookie when a bearer token is bad", async () => {
    const { cookie } = await sessionFor("admin");
    const response = await readNodes(
      request("/api/v1/nodes", { headers: { cookie, authorization: "Bearer kd_forged" } }),
      noParams,
    );
    expect(response.status).toBe(401);
  });

  it("accepts session cookies for reads and demands Origin + x-csrf-token for mutations", async () => {
    const { cookie, csrf } = await sessionFor("admin");
    const params = { params: Promise.resolve({ name: "lab" }) };
    expect((await readNodes(request("/api/v1/nodes", { headers: { cookie } }), noParams)).status).toBe(200);

    const noToken = await writeNode(
      request("/api/v1/nodes/lab", { method: "POST", headers: { cookie, origin: base } }),
      params,
    );
    expect(noToken.status).toBe(403);
    expect(await errorCode(noToken)).toBe("csrf_failed");

    const foreign = await writeNode(
      request("/api/v1/nodes/lab", {
        method: "POST",
        headers: { cookie, origin: "https://evil.example", "x-csrf-token": csrf },
      }),
      params,
    );
    expect(foreign.status).toBe(403);
    expect(await errorCode(foreign)).toBe("csrf_failed");

    const good = await writeNode(
      request("/api/v1/nodes/lab", {
        method: "POST",
        headers: { cookie, origin: base, "x-csrf-token": csrf },
      }),
      params,
    );
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ who: "operator", name: "lab" });
  });

  it("gives a viewer session 403 on writes even with a valid CSRF token", async () => {
    const { cookie, csrf } = await sessionFor("viewer");
    const response = await writeNode(
      request("/api/v1/nodes/lab", {
        method: "POST",
        headers: { cookie, origin: base, "x-csrf-token": csrf },
      }),
      { params: Promise.resolve({ name: "lab" }) },
    );
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });

  it("lets a kiosk cookie read the wall and nothing else", async () => {
    const kiosk = await createApiToken({ name: "noc", kiosk: true });
    const headers = { cookie: `kamdash_kiosk=${kiosk.token}` };
    expect((await readWall(request("/api/v1/overview", { headers }), noParams)).status).toBe(200);
    expect((await readNodes(request("/api/v1/nodes", { headers }), noParams)).status).toBe(403);
    const plain = await createApiToken({ name: "not a kiosk token", role: "admin" });
    const asKiosk = await readWall(
      request("/api/v1/overview", { headers: { cookie: `kamdash_kiosk=${plain.token}` } }),
      noParams,
    );
    expect(asKiosk.status).toBe(401);
  });

  it("re-checks an open stream's credentials: a revoked kiosk token or a signed-out session no longer holds", async () => {
    const kiosk = await createApiToken({ name: "lobby", kiosk: true });
    const kioskCheck = stillAuthorized(
      request("/api/v1/stream", { headers: { cookie: `kamdash_kiosk=${kiosk.token}` } }),
      "stream.read",
    );
    expect(await kioskCheck()).toBe(true);
    await revokeApiToken(kiosk.id);
    expect(await kioskCheck()).toBe(false);

    const { cookie } = await sessionFor("viewer");
    const sessionCheck = stillAuthorized(request("/api/v1/stream", { headers: { cookie } }), "stream.read");
    expect(await sessionCheck()).toBe(true);
    await deleteSession(cookie.slice("kamdash_session=".length));
    expect(await sessionCheck()).toBe(false);
  });

  it("maps handler errors: zod → 422, unknown → 500 without details", async () => {
    const token = (await createApiToken({ name: "t", role: "viewer" })).token;
    const headers = { authorization: `Bearer ${token}` };
    const validating = withAuth("nodes.read", () => {
      z.object({ metric: z.enum(["ws", "wss"]) }).parse({ metric: "bogus" });
      return Response.json({});
    });
    const invalid = await validating(request("/api/v1/x", { headers }), noParams);
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error.issues[0].path).toBe("metric");

    const logged = captureLog();
    const crashing = withAuth("nodes.read", () => {
      throw new Error("secret detail: password=hunter2");
    });
    const crashed = await crashing(request("/api/v1/x", { headers }), noParams);
    expect(crashed.status).toBe(500);
    expect(await crashed.text()).not.toContain("hunter2");
    logged.restore();
    expect(logged.lines()).toEqual([expect.objectContaining({ level: "error" })]);
  });
});
