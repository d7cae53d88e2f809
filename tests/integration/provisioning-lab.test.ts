import { afterEach, describe, expect, it } from "vitest";
import { operatorActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { createKamailioClient } from "@/lib/kamailio/client";
import { addSubscriber, changeSubscriberPassword, removeSubscriber } from "@/lib/provisioning/service";
import { removeRegistrations } from "../support/kamailio-rpc";
import { readLab } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { waitFor, withTimeout } from "../support/wait";
import { setupAdminDatabase } from "./admin-support";
import { setupProvisioning } from "./provisioning-support";

// End to end on the lab: a subscriber kamdash adds registers over WSS at once (Kamailio reads the table on each
// REGISTER: no restart), a password change refuses the old one, removal refuses REGISTER and can close the socket.

setupAdminDatabase();
setupProvisioning();

const operator = operatorActor({
  operatorId: 1,
  username: "op",
  role: "operator",
  sessionId: "s",
  csrfToken: "c",
});
const open: SipWsUa[] = [];
afterEach(async () => {
  for (const ua of open.splice(0)) await ua.close().catch(() => undefined);
  await removeRegistrations(readLab().rpc, "kd9-wss1").catch(() => undefined);
});

async function ua(password: string): Promise<SipWsUa> {
  const lab = readLab();
  const client = await SipWsUa.connect({
    url: lab.sip.wss,
    origin: lab.origins[0] ?? "",
    domain: lab.domain,
    username: "kd9-wss1",
    password,
  });
  open.push(client);
  return client;
}

const tcpIds = async () =>
  (await createKamailioClient({ url: readLab().rpc, timeoutMs: 3_000 }).tcpList()).map((c) => c.id);

describe("provisioning on the lab", () => {
  it("add → registers over WSS at once; passwd → old refused, new accepted; rm → refused, socket closed", async () => {
    const lab = readLab();
    await (await getDb()).kamailioNode.create({ data: { name: "lab", rpcUrl: lab.rpc, source: "ui" } });
    const first = `Pä"ss:w@rd'ü1`;
    await addSubscriber(operator, { username: "kd9-wss1", domain: lab.domain, password: first });
    const registered = await ua(first);
    expect((await registered.register()).final.status).toBe(200);

    const second = `n€w "pass": x@y`;
    await changeSubscriberPassword(operator, `kd9-wss1@${lab.domain}`, { password: second });
    expect([401, 403]).toContain((await (await ua(first)).register()).final.status);
    expect((await (await ua(second)).register()).final.status).toBe(200);

    const bound = (await createKamailioClient({ url: lab.rpc, timeoutMs: 3_000 }).ulDump())
      .flatMap((d) => d.aors)
      .filter((a) => a.aor === "kd9-wss1")
      .flatMap((a) => a.contacts.map((c) => c.tcpconnId));
    expect(bound).toHaveLength(2);
    expect(await tcpIds()).toEqual(expect.arrayContaining(bound));
    const removed = await removeSubscriber(operator, `kd9-wss1@${lab.domain}`, {
      dropRegistrations: true,
      closeSockets: true,
    });
    expect(removed.failures).toEqual([]);
    expect(removed.registrationsDropped).toBe(2);
    expect(removed.socketsClosed).toBe(2);
    await withTimeout(registered.connection.closed, 5_000, "the registered client sees its WebSocket closed");
    await waitFor(async () => (await tcpIds()).every((id) => !bound.includes(id)), {
      timeoutMs: 5_000,
      description: "core.tcp_list no longer lists the two connections the contacts were bound to",
    });
    expect([401, 403]).toContain((await (await ua(second)).register()).final.status);

    const audit = await (await getDb()).auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((r) => r.action)).toEqual(["subscriber.add", "subscriber.passwd", "subscriber.remove"]);
    const text = JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(text).not.toContain("ss:w@rd");
    expect(text).not.toContain('pass\\": x@y');
  });
});
