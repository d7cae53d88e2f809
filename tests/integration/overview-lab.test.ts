import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { getDb } from "@/lib/db";
import { counterColumnNames, getCounterDeltas } from "@/lib/metrics/queries/getCounterDeltas";
import { getFleetSnapshot } from "@/lib/poller/live";
import { derivedStatKeys } from "@/lib/poller/measure";
import { type NodeSnapshot, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { type LabConfig, type LabOptions, labUp, startKamailio, stopKamailio } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { gatewaySuiteUsers } from "../support/lab";
import type { SipCall } from "../support/sip-call";
import { SipWsUa } from "../support/sip-ws-ua";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// End to end through the real lab: WS/WSS clients, registrations and a call show up in the poller's snapshot and
// in /api/v1/overview within two poll cycles, disappear again, and a stopped Kamailio turns the node down.
// It RESTARTS KAMAILIO: run it only through the suite runner (serial), never while others rely on the shared lab.
// KAMDASH_TEST_LAB_STATE_DIR / KAMDASH_TEST_LAB_DB_URL point it at a private lab instead (e.g. in a netns).

const WS_CLIENTS = 10;
const WSS_CLIENTS = 10;
/** Lab users 1035..1048 (indexes 34..47): the gateway suite uses 8..33. */
const USER_SLICE = { first: 34, count: 14 };

const labOptions: LabOptions = {
  stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR,
  dbUrl: process.env.KAMDASH_TEST_LAB_DB_URL,
  users: gatewaySuiteUsers,
};

let lab: LabConfig;
let polled: PolledNodes;
const clients: SipWsUa[] = [];

const usersInSlice = () => lab.users.slice(USER_SLICE.first, USER_SLICE.first + USER_SLICE.count);
const stat = (snap: NodeSnapshot, key: string) => snap.stats?.[key] ?? Number.NaN;

async function overviewNode(): Promise<NodeSnapshot & { ageMs: number }> {
  const response = await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
    params: Promise.resolve({}),
  });
  expect(response.status).toBe(200);
  const node = OverviewResponseSchema.parse(await response.json()).nodes.find((n) => n.name === "lab");
  if (!node) throw new Error("node lab missing from /api/v1/overview");
  return node;
}

async function cleanUpClients(): Promise<void> {
  await Promise.allSettled(clients.splice(0).map((ua) => ua.close()));
  for (const user of usersInSlice()) await removeRegistrations(lab.rpc, user.username);
}

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  if (usersInSlice().length < USER_SLICE.count) throw new Error(`the lab has only ${lab.users.length} users`);
  for (const user of usersInSlice()) await removeRegistrations(lab.rpc, user.username);
  // the heavy lists (ul.dump: WS/WSS registration split) every cycle, so two cycles show every change
  polled = await startPollingNodes("overview_lab", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }], {
    heavyIntervalMs: 1000,
  });
});

afterAll(async () => {
  await startKamailio(labOptions).catch(() => undefined); // never leave the lab without Kamailio
  await cleanUpClients().catch(() => undefined);
  await polled?.stop();
});

describe("overview against the lab", () => {
  let baseline: NodeSnapshot;

  it("counts WS and WSS connections, registrations and a call, then their end", async () => {
    // exactly what Kamailio says, idle lab included (a null or a zero made up would not pass)
    baseline = (await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles("lab", 2))).snapshot;
    expect(baseline.up).toBe(true);

    const users = usersInSlice();
    const callee = users[0];
    const caller = users[1];
    if (!callee || !caller) throw new Error("not enough users");
    const origin = lab.origins[0] ?? "";
    for (let i = 0; i < WS_CLIENTS + WSS_CLIENTS; i++) {
      const secure = i >= WS_CLIENTS;
      // the callee's user is registered once only, so the call reaches exactly one client
      const user = i === 0 ? callee : (users[1 + ((i - 1) % (users.length - 1))] ?? caller);
      const ua = await SipWsUa.connect({
        url: secure ? lab.sip.wss : lab.sip.ws,
        origin,
        domain: lab.domain,
        username: user.username,
        password: user.password,
        contactTransport: secure ? "wss" : "ws",
      });
      clients.push(ua);
      const { final } = await ua.register(600);
      expect(final.status, `REGISTER of client ${i}`).toBe(200);
    }
    const callerUa = clients[WS_CLIENTS]; // a WSS client calling the WS callee
    if (!callerUa) throw new Error("no caller");
    const attempt = await callerUa.call(callee.username);
    expect(attempt.response.status).toBe(200);
    const call: SipCall | undefined = attempt.call;

    const { snapshot: busy } = await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles("lab", 2));
    expect(busy.up).toBe(true);
    expect(busy.ws).toBe(Number(baseline.ws) + WS_CLIENTS);
    expect(busy.wss).toBe(Number(baseline.wss) + WSS_CLIENTS);
    expect(busy.registrations).toBe(Number(baseline.registrations) + WS_CLIENTS + WSS_CLIENTS);
    expect(stat(busy, derivedStatKeys.registrationsWs)).toBe(
      stat(baseline, derivedStatKeys.registrationsWs) + WS_CLIENTS,
    );
    expect(stat(busy, derivedStatKeys.registrationsWss)).toBe(
      stat(baseline, derivedStatKeys.registrationsWss) + WSS_CLIENTS,
    );
    expect(busy.dialogsActive).toBe(Number(baseline.dialogsActive) + 1);
    expect(busy.rtpengineTotal).toBeGreaterThanOrEqual(1);
    expect(busy.rtpengineUp).toBe(busy.rtpengineTotal);

    const viaApi = await overviewNode();
    expect({
      ws: viaApi.ws,
      wss: viaApi.wss,
      registrations: viaApi.registrations,
      dialogs: viaApi.dialogsActive,
    }).toEqual({
      ws: busy.ws,
      wss: busy.wss,
      registrations: busy.registrations,
      dialogs: busy.dialogsActive,
    });
    expect(getFleetSnapshot().totals.ws).toBe(busy.ws);

    if (!call) throw new Error("the call was not set up");
    const bye = await call.hangUp();
    expect(bye.status).toBe(200);
    for (const ua of clients) expect((await ua.unregister()).final.status).toBe(200);
    await Promise.all(clients.splice(0).map((ua) => ua.close()));

    const { snapshot: idle } = await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles("lab", 2));
    expect({
      ws: idle.ws,
      wss: idle.wss,
      registrations: idle.registrations,
      dialogsActive: idle.dialogsActive,
    }).toEqual({
      ws: baseline.ws,
      wss: baseline.wss,
      registrations: baseline.registrations,
      dialogsActive: baseline.dialogsActive,
    });
    expect(polled.pollErrors).toEqual([]);
  });

  it("marks the node down when Kamailio stops (nulls, last values kept) and up again when it starts", async () => {
    const before = await nextCycles("lab", 1);
    expect(before.up).toBe(true);
    await stopKamailio(labOptions);
    const down = await nextCycles("lab", 2);
    expect(down.up).toBe(false);
    expect(down.error).toMatch(/connection refused|timed out|network/);
    expect([down.ws, down.wss, down.registrations, down.dialogsActive, down.rtpengineUp]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(down.lastUp).toEqual(before.lastUp);
    expect(down.lastUpAt).toBe(before.lastUpAt);
    expect((await overviewNode()).up).toBe(false);
    // no node up: the fleet total is "not known", not 0
    expect(getFleetSnapshot().totals).toMatchObject({ nodesUp: 0, nodesTotal: 1, ws: null });

    await startKamailio(labOptions);
    const back = await nextCycles("lab", 2);
    expect(back.up).toBe(true);
    expect(back.ws).toBeTypeOf("number");

    expect(back.kamailio?.restartedAt).not.toBeNull();
    await nextCycles("lab", 2);

    const db = await getDb();
    // the node's own events (the connection / registration / dialog events of the earlier tests aside): exactly one
    // restart, seen once Kamailio answers again; nothing else (no probe failing for a restart)
    const events = await db.event.findMany({
      where: { kind: { startsWith: "node_" } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["node_down", "node_up", "node_restarted"]);
    expect(await db.event.count({ where: { kind: { startsWith: "probe_" } } })).toBe(0);
    const samples = await db.sample.findMany({ where: { up: false } });
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.every((s) => s.wsConnections === null && s.registrations === null)).toBe(true);
    expect(await db.sample.count({ where: { restarted: true } })).toBe(1);

    // counters dropped to 0 with the restart: no stored delta is negative, and none spans the restart
    const node = await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } });
    const range = { nodeId: node.id, from: new Date(0), to: new Date(Date.now() + 60_000) };
    const restartAt = (await db.sample.findFirstOrThrow({ where: { restarted: true } })).at.getTime();
    for (const counter of counterColumnNames) {
      const deltas = await getCounterDeltas(db, { ...range, counter });
      expect(
        deltas.filter((d) => d.delta !== null && d.delta < 0),
        counter,
      ).toEqual([]);
      expect(deltas.find((d) => d.at.getTime() === restartAt)?.delta, counter).toBeNull();
    }
    const branchRelayed = await db.sample.findMany({
      where: { up: true },
      orderBy: { at: "asc" },
      select: { branchRelayed: true, restarted: true },
    });
    const dropIndex = branchRelayed.findIndex((r) => r.restarted);
    expect(dropIndex).toBeGreaterThan(0);
  });
});
