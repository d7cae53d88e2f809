import { describe, expect, it } from "vitest";
import { GET as auditRoute } from "@/app/api/v1/audit/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { operatorActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { bearerHeaders, callRoute, type ErrorBody, setupAdminDatabase } from "./admin-support";

// GET /api/v1/audit: admins read the audit log, filtered; nobody else does, and no route writes to it but changes.

setupAdminDatabase();

const alice = operatorActor({
  operatorId: 1,
  username: "alice",
  role: "operator",
  sessionId: "s",
  csrfToken: "c",
});

describe("the audit log API", () => {
  it("gives admins the rows newest first, filtered by action prefix and actor", async () => {
    const db = await getDb();
    await recordAudit(db, alice, { action: "connection.close", target: "connection:lab/7" });
    await recordAudit(db, alice, {
      action: "dialog.end",
      target: "dialog:lab/1:2",
      result: "failed: Dialog not found",
    });
    const headers = await bearerHeaders("admin");
    const all = await callRoute(auditRoute, "GET", "/api/v1/audit", {}, { headers });
    expect(all.status).toBe(200);
    const rows = (await all.json()) as { actor: string; action: string; result: string }[];
    expect(rows.map((r) => [r.actor, r.action, r.result])).toEqual([
      ["operator:alice", "dialog.end", "failed: Dialog not found"],
      ["operator:alice", "connection.close", "ok"],
    ]);
    const filtered = await callRoute(auditRoute, "GET", "/api/v1/audit?action=connection.", {}, { headers });
    expect(((await filtered.json()) as unknown[]).length).toBe(1);
    const bad = await callRoute(auditRoute, "GET", "/api/v1/audit?action=DROP%20TABLE", {}, { headers });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as ErrorBody).error.issues?.[0]?.path).toBe("action");
  });

  it("refuses operators and viewers (403)", async () => {
    for (const role of ["operator", "viewer"] as const) {
      const response = await callRoute(
        auditRoute,
        "GET",
        "/api/v1/audit",
        {},
        { headers: await bearerHeaders(role) },
      );
      expect(response.status, role).toBe(403);
    }
  });
});
