import { describe, expect, it } from "vitest";
import { performAction } from "@/lib/actions/perform-action";
import { operatorActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { createKamailioClient } from "@/lib/kamailio/client";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { DIALOG_DELETED, findDialog } from "../support/kamailio-rpc";
import { receivedRequests } from "../support/sipp";
import { waitFor, withTimeout } from "../support/wait";
import { wssToUdpCall } from "../support/wss-udp-call";
import { setupAdminDatabase } from "./admin-support";

// Operator actions against the real lab: the RPC really acts on Kamailio, and every attempt leaves one audit row.

setupAdminDatabase();
const gateway = setUpGatewayFixture({ first: 50, count: 4 });
const NODE = "lab";

const actor = (role: "viewer" | "operator") =>
  operatorActor({ operatorId: 1, username: `${role}-user`, role, sessionId: "s", csrfToken: "c" });

async function deps() {
  const db = await getDb();
  await db.kamailioNode.create({ data: { name: NODE, rpcUrl: gateway.lab.rpc, source: "ui" } });
  return {
    db,
    clientFor: (row: { rpcUrl: string }) => createKamailioClient({ url: row.rpcUrl, timeoutMs: 3_000 }),
  };
}

/** The Tcpconn-Id Kamailio bound the user's registration to (ul.dump). */
async function connectionOf(username: string): Promise<number> {
  const client = createKamailioClient({ url: gateway.lab.rpc, timeoutMs: 3_000 });
  const contacts = (await client.ulDump())
    .flatMap((d) => d.aors)
    .filter((a) => a.aor.split("@")[0] === username)
    .flatMap((a) => a.contacts);
  expect(contacts, `one contact for ${username}`).toHaveLength(1);
  return contacts[0]?.tcpconnId ?? -1;
}

async function listedConnections(): Promise<number[]> {
  return (await createKamailioClient({ url: gateway.lab.rpc, timeoutMs: 3_000 }).tcpList()).map((c) => c.id);
}

describe("operator actions on the lab", () => {
  it("ws.close closes a registered WSS connection: the client sees the close, core.tcp_list drops it, audited", async () => {
    const d = await deps();
    const user = await gateway.freshUser();
    const ua = await gateway.wsUa(user, "wss");
    expect((await ua.register()).final.status).toBe(200);
    const id = await connectionOf(user.username);
    expect(await listedConnections()).toContain(id);

    const ping = await performAction(d, actor("operator"), {
      action: "ws.ping",
      node: NODE,
      connectionId: id,
    });
    expect(ping).toMatchObject({ ok: true, message: "ping sent" });

    const outcome = await performAction(d, actor("operator"), {
      action: "ws.close",
      node: NODE,
      connectionId: id,
    });
    expect(outcome).toEqual({
      ok: true,
      action: "ws.close",
      node: NODE,
      target: `connection:${NODE}/${id}`,
      message: "closed",
    });
    await withTimeout(ua.connection.closed, 5_000, "the client sees its WebSocket closed");
    await waitFor(async () => !(await listedConnections()).includes(id), {
      timeoutMs: 5_000,
      description: "core.tcp_list no longer lists the connection",
    });

    const rows = await d.db.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.actor, r.action, r.target, r.result])).toEqual([
      ["operator:operator-user", "connection.ping", `connection:${NODE}/${id}`, "ok"],
      ["operator:operator-user", "connection.close", `connection:${NODE}/${id}`, "ok"],
    ]);
  });

  it("a connection Kamailio does not hold: ok false with Kamailio's reason, audited as failed", async () => {
    const d = await deps();
    const outcome = await performAction(d, actor("operator"), {
      action: "ws.close",
      node: NODE,
      connectionId: 987_654,
    });
    expect(outcome).toMatchObject({ ok: false, message: "Unknown connection ID" });
    const rows = await d.db.auditLog.findMany();
    expect(rows.map((r) => r.result)).toEqual(["failed: Unknown connection ID"]);
  });

  it("a viewer is refused with 403 before anything is sent or audited", async () => {
    const d = await deps();
    const user = await gateway.freshUser();
    const ua = await gateway.wsUa(user, "wss");
    expect((await ua.register()).final.status).toBe(200);
    const id = await connectionOf(user.username);
    const refused = await performAction(d, actor("viewer"), {
      action: "ws.close",
      node: NODE,
      connectionId: id,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
    expect(await listedConnections()).toContain(id);
    expect(await d.db.auditLog.count()).toBe(0);
  });

  it("dlg.end ends a live WSS → UDP call: BYE to both legs, dialog gone, RTPEngine session freed, audited", async () => {
    const d = await deps();
    const { call, dialog, callee } = await wssToUdpCall(gateway);
    await waitFor(() => gateway.rtpengine.has(call.callId), {
      timeoutMs: 2_000,
      description: "RTPEngine session",
    });

    const outcome = await performAction(d, actor("operator"), {
      action: "dlg.end",
      node: NODE,
      hEntry: dialog.h_entry,
      hId: dialog.h_id,
      callId: call.callId,
    });
    expect(outcome).toMatchObject({ ok: true, message: "BYE sent to both legs" });
    expect((await withTimeout(call.endedByRemote, 10_000, "BYE to the WSS caller")).method).toBe("BYE");
    expect(receivedRequests(await callee.finished(), "BYE"), "BYE to the UDP callee").toHaveLength(1);
    await waitFor(
      async () => {
        const found = await findDialog(gateway.lab.rpc, call.callId);
        return found === undefined || found.state === DIALOG_DELETED;
      },
      { timeoutMs: 5_000, description: "dialog gone" },
    );
    await waitFor(async () => !(await gateway.rtpengine.has(call.callId)), {
      timeoutMs: 5_000,
      description: "RTPEngine session freed",
    });
    const [row] = await d.db.auditLog.findMany();
    expect(row).toMatchObject({
      action: "dialog.end",
      target: `dialog:${NODE}/${dialog.h_entry}:${dialog.h_id}`,
      result: "ok",
      detail: { callId: call.callId },
    });
  });

  it("rtpengine.enable takes the instance out and back, as rtpengine.show then lists it", async () => {
    const d = await deps();
    const client = createKamailioClient({ url: gateway.lab.rpc, timeoutMs: 3_000 });
    const [instance] = await client.rtpengineShowAll();
    if (!instance) throw new Error("the lab lists no RTPEngine");
    gateway.onCleanup(() => client.rtpengineEnable(instance.url, true));
    const off = await performAction(d, actor("operator"), {
      action: "rtpengine.enable",
      node: NODE,
      url: instance.url,
      enabled: false,
    });
    expect(off).toMatchObject({ ok: true, message: "disabled" });
    expect((await client.rtpengineShowAll())[0]?.state).toBe("disabled");
    const on = await performAction(d, actor("operator"), {
      action: "rtpengine.enable",
      node: NODE,
      url: instance.url,
      enabled: true,
    });
    expect(on).toMatchObject({ ok: true, message: "enabled" });
    expect((await client.rtpengineShowAll())[0]?.state).toBe("up");
    const rows = await d.db.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.action)).toEqual(["rtpengine.disable", "rtpengine.enable"]);
  });
});
