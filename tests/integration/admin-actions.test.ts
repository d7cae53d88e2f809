import { describe, expect, it } from "vitest";
import { authorizeAction } from "@/lib/auth/action";
import { resolveSession } from "@/lib/auth/sessions";
import { createTokenAs } from "@/lib/auth/token-admin";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { addNodeAs, removeNodeAs } from "@/lib/nodes/node-admin";
import { auditRows, type BrowserSession, sessionFor, setupAdminDatabase } from "./admin-support";

// The checks behind the admin page's server actions: the caller's session and Origin (requireAction reads them
// from the action's request), then the permission again inside the service.

setupAdminDatabase();

function actionRequest(session: BrowserSession | null, origin: string | null) {
  const headers = new Headers({ host: "127.0.0.1:3000" });
  if (origin) headers.set("origin", origin);
  const token = session?.cookie.slice("kamdash_session=".length);
  return { headers, sessionCookie: token, kioskCookie: undefined };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return { status: error.status, code: error.code };
}

describe("server action authorization", () => {
  it("accepts a same-origin admin session and refuses a foreign or missing Origin", async () => {
    const admin = await sessionFor("admin");
    const actor = await authorizeAction(actionRequest(admin, "http://127.0.0.1:3000"), "nodes.write");
    expect(actor).toMatchObject({ kind: "operator", username: "admin-user" });
    for (const origin of ["https://evil.example", "null", null]) {
      expect(await refusal(authorizeAction(actionRequest(admin, origin), "nodes.write"))).toEqual({
        status: 403,
        code: "csrf_failed",
      });
    }
  });

  it("refuses viewers and operators (403) and callers without a session (401)", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const session = await sessionFor(role);
      for (const permission of ["nodes.write", "tokens.write"] as const) {
        expect(
          await refusal(authorizeAction(actionRequest(session, "http://127.0.0.1:3000"), permission)),
        ).toEqual({ status: 403, code: "forbidden" });
      }
    }
    expect(
      await refusal(authorizeAction(actionRequest(null, "http://127.0.0.1:3000"), "tokens.write")),
    ).toEqual({
      status: 401,
      code: "unauthorized",
    });
  });

  it("has the services check the permission themselves, whoever calls them", async () => {
    const operator = await sessionFor("operator");
    const actor = await resolveSession(operator.cookie.slice("kamdash_session=".length));
    if (!actor) throw new Error("no operator session");
    const spec = { name: "edge1", rpcUrl: "http://127.0.0.1:5080/RPC" };
    expect((await refusal(addNodeAs(actor, spec, "ui"))).status).toBe(403);
    expect((await refusal(removeNodeAs(actor, "edge1"))).status).toBe(403);
    expect((await refusal(createTokenAs(actor, { name: "sneaky", role: "admin" }))).status).toBe(403);
    expect(await (await getDb()).kamailioNode.count()).toBe(0);
    expect(await (await getDb()).apiToken.count()).toBe(0);
    expect(await auditRows()).toEqual([]);
  });
});
