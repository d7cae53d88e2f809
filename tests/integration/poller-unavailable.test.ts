import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { getDb } from "@/lib/db";
import { getLastNodeState } from "@/lib/metrics/queries/getLastNodeState";
import { OverviewResponseSchema } from "@/lib/poller/snapshot";
import { labUp } from "../../scripts/lab/lab";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { type MinimalKamailio, startMinimalKamailio } from "../support/minimal-kamailio";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// Nodes that are up but cannot serve every probe, through the real poller and a real PostgreSQL database:
// - "lab": the shared lab (read-only RPC) polled with a branch counters group that does not exist there;
// - "plain": a Kamailio of our own that is not the gateway (xhttp + jsonrpcs + tm/tmx/kex + counters only).

let polled: PolledNodes;
let plain: MinimalKamailio;
let labRpc: string;

beforeAll(async () => {
  const lab = await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR });
  labRpc = lab.config.rpc;
  plain = await startMinimalKamailio({ extraModules: ["tm", "tmx", "kex", "counters"] });
  polled = await startPollingNodes(
    "poller_unavailable",
    [
      { name: "lab", rpcUrl: lab.config.rpc, source: "lab" },
      { name: "plain", rpcUrl: plain.rpcUrl, source: "cli" },
    ],
    { branchCounterGroup: "nosuchgroup" },
  );
});

afterAll(async () => {
  await polled?.stop();
  await plain?.stop();
});

const methodNotFound = "Kamailio answered error 500: Method Not Found (module not loaded)";

describe("nodes that lack some probes stay up", () => {
  it("the lab polled for a missing counters group: up, its numbers present, branches null and named", async () => {
    const lab = await nextCycles("lab", 2);
    expect(lab.up).toBe(true);
    expect(lab.error).toBeNull();
    expect(lab.rtpengineTotal).toBe(1);
    await expectSnapshotEqualsKamailio(labRpc, () => nextCycles("lab", 2));
    expect(lab.rtpengines?.map((e) => e.url)).toContain("udp:127.0.0.1:22222");
    expect(lab.stats?.["websocket.ws_current_connections"]).toBeTypeOf("number");
    expect(lab.branches).toBeNull();
    expect(lab.unavailable).toEqual([
      {
        probe: "branches",
        reason: 'cnt.grp_get_all: counters group "nosuchgroup" does not exist (empty reply)',
      },
    ]);
  });

  it("a Kamailio without websocket, usrloc, dialog and rtpengine modules: up, those numbers null", async () => {
    const node = await nextCycles("plain", 2);
    expect(node).toMatchObject({ up: true, error: null, ws: 0, wss: 0 });
    expect(node).toMatchObject({ registrations: null, aors: null, dialogsActive: null, dialogsEarly: null });
    expect(node).toMatchObject({ rtpengineUp: null, rtpengineTotal: null, rtpengines: null, branches: null });
    expect(node.unavailable).toEqual([
      { probe: "websockets", reason: `ws.dump: ${methodNotFound}` },
      {
        probe: "registrations",
        reason: "stats.fetch usrloc: no <table>_contacts statistic (usrloc not loaded?)",
      },
      { probe: "contacts", reason: `ul.dump: ${methodNotFound}` },
      // dlg.stats_active is not there either, so the dialogs probe fell back to dlg.list
      { probe: "dialogs", reason: `dlg.list: ${methodNotFound}` },
      { probe: "dialog-list", reason: `dlg.list: ${methodNotFound}` },
      { probe: "rtpengine", reason: `rtpengine.show: ${methodNotFound}` },
      {
        probe: "branches",
        reason: 'cnt.grp_get_all: counters group "nosuchgroup" does not exist (empty reply)',
      },
      // no WS/WSS URL is set for this node (KAMDASH_HANDSHAKE), and it has no websocket module anyway
      { probe: "handshake", reason: "handshake: no WS/WSS URL set for this node (KAMDASH_HANDSHAKE)" },
    ]);
    expect(node.stats?.["tmx.active_transactions"]).toBeTypeOf("number");
    expect(node.stats?.["websocket.ws_current_connections"]).toBeUndefined();
    expect(node.lastUp).toMatchObject({ ws: 0, registrations: null, rtpengineUp: null });
  });

  it("stores up samples with the unavailable columns null, no branch rows and no events", async () => {
    const db = await getDb();
    const lab = await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } });
    const node = await db.kamailioNode.findUniqueOrThrow({ where: { name: "plain" } });
    expect(await db.sample.count({ where: { nodeId: { in: [lab.id, node.id] }, up: false } })).toBe(0);
    const labRow = await db.sample.findFirstOrThrow({ where: { nodeId: lab.id }, orderBy: { at: "desc" } });
    expect(labRow).toMatchObject({ up: true, branchRelayed: null, branchFailed: null });
    expect(labRow.wsConnections).toBeTypeOf("number");
    expect(labRow.registrations).toBeTypeOf("number");
    const plainRow = await db.sample.findFirstOrThrow({
      where: { nodeId: node.id },
      orderBy: { at: "desc" },
    });
    expect(plainRow).toMatchObject({ up: true, error: null, wsConnections: 0, registrations: null });
    expect(plainRow).toMatchObject({ dialogsActive: null, rtpengineUp: null, wsHandshakesOk: null });
    expect(plainRow.tmx2xx).toBeTypeOf("bigint");
    expect(await db.branchSample.count()).toBe(0);
    // what a restarted poller continues from: the last up values, with the unavailable ones null
    expect((await getLastNodeState(db, node.id)).lastUpNumbers).toMatchObject({ ws: 0, registrations: null });
    expect(await db.event.count()).toBe(0);
    expect(polled.pollErrors).toEqual([]);
  });

  it("the overview API carries `unavailable` and counts both nodes up", async () => {
    const response = await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
      params: Promise.resolve({}),
    });
    const overview = OverviewResponseSchema.parse(await response.json());
    expect(overview.totals.nodesUp).toBe(2);
    const node = overview.nodes.find((n) => n.name === "plain");
    expect(node?.unavailable.map((u) => u.probe)).toEqual([
      "websockets",
      "registrations",
      "contacts",
      "dialogs",
      "dialog-list",
      "rtpengine",
      "branches",
      "handshake",
    ]);
    expect(node?.readings?.registrations).toMatchObject({ state: "unavailable" });
  });

  it("the same Kamailio stopped is down with one node_down event (transport errors still count)", async () => {
    await plain.stop();
    const node = await nextCycles("plain", 2);
    expect(node).toMatchObject({ up: false, ws: null, unavailable: [] });
    expect(node.error).toMatch(/^core\.uptime on http:\/\/127\.0\.0\.1:\d+\/RPC: connection refused/);
    expect(node.lastUp).toMatchObject({ ws: 0, registrations: null });
    const db = await getDb();
    const events = await db.event.findMany();
    expect(events.map((e) => e.kind)).toEqual(["node_down"]);
  });
});
