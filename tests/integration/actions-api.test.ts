import { describe, expect, it } from "vitest";
import { POST as closeConnection } from "@/app/api/v1/nodes/[name]/connections/[id]/close/route";
import { POST as pingConnection } from "@/app/api/v1/nodes/[name]/connections/[id]/ping/route";
import { POST as endDialog } from "@/app/api/v1/nodes/[name]/dialogs/[dialog]/end/route";
import { PATCH as setRtpengine } from "@/app/api/v1/nodes/[name]/rtpengine/route";
import { getDb } from "@/lib/db";
import { readLab } from "../support/lab";
import { bearerHeaders, callRoute, type ErrorBody, setupAdminDatabase } from "./admin-support";

// The action routes as Next calls them, against the lab's Kamailio: permission per route, input errors per field,
// Kamailio's refusal passed on (200, ok false) and audited.

setupAdminDatabase();

async function labNode(): Promise<void> {
  const db = await getDb();
  await db.kamailioNode.create({ data: { name: "lab", rpcUrl: readLab().rpc, source: "ui" } });
}

describe("action routes", () => {
  it("refuse a viewer token on every action (403) and audit nothing", async () => {
    await labNode();
    const headers = await bearerHeaders("viewer");
    const responses = [
      await callRoute(closeConnection, "POST", "/x", { name: "lab", id: "1" }, { headers }),
      await callRoute(pingConnection, "POST", "/x", { name: "lab", id: "1" }, { headers }),
      await callRoute(endDialog, "POST", "/x", { name: "lab", dialog: "1:1" }, { headers }),
      await callRoute(
        setRtpengine,
        "PATCH",
        "/x",
        { name: "lab" },
        {
          headers,
          body: { url: "udp:127.0.0.1:22222", enabled: false },
        },
      ),
    ];
    expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(await (await getDb()).auditLog.count()).toBe(0);
  });

  it("pass Kamailio's refusal on to an operator and audit it", async () => {
    await labNode();
    const headers = await bearerHeaders("operator");
    const response = await callRoute(
      closeConnection,
      "POST",
      "/x",
      { name: "lab", id: "987654" },
      { headers },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, message: "Unknown connection ID" });
    const ended = await callRoute(
      endDialog,
      "POST",
      "/x",
      { name: "lab", dialog: "1:987654" },
      {
        headers,
        body: { callId: "<script>alert(1)</script>@x" },
      },
    );
    expect(await ended.json()).toMatchObject({ ok: false, message: "Dialog not found" });
    const rows = await (await getDb()).auditLog.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.actor, r.action, r.result])).toEqual([
      ["token:operator-script", "connection.close", "failed: Unknown connection ID"],
      ["token:operator-script", "dialog.end", "failed: Dialog not found"],
    ]);
  });

  it("name the bad field (422) and an unknown node (404) before calling Kamailio", async () => {
    await labNode();
    const headers = await bearerHeaders("operator");
    const bad = await callRoute(closeConnection, "POST", "/x", { name: "lab", id: "abc" }, { headers });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as ErrorBody).error.issues).toEqual([
      { path: "connectionId", message: "connection id must be a number" },
    ]);
    const badDialog = await callRoute(endDialog, "POST", "/x", { name: "lab", dialog: "7" }, { headers });
    expect(((await badDialog.json()) as ErrorBody).error.issues?.map((i) => i.path)).toEqual(["hId"]);
    const missing = await callRoute(closeConnection, "POST", "/x", { name: "nope", id: "1" }, { headers });
    expect(missing.status).toBe(404);
    expect(await (await getDb()).auditLog.count()).toBe(0);
  });
});
