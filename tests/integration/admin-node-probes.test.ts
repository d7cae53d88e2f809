import { describe, expect, it } from "vitest";
import { PATCH as patchProbesRoute } from "@/app/api/v1/nodes/[name]/probes/route";
import { getDb } from "@/lib/db";
import { seedNodes } from "@/lib/nodes/seed";
import { resetLiveStore } from "@/lib/poller/live";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { startPoller, stopPoller } from "@/lib/poller/start";
import { labUp } from "../../scripts/lab/lab";
import { auditRows, bearerHeaders, callRoute, errorOf, setupAdminDatabase } from "./admin-support";
import { nextCycles } from "./poller-harness";

// Per-node probe settings over the JSON API (the admin page's server actions call the same service): real
// PostgreSQL, real route handlers, and the process's real poller picking a change up without a restart, measured
// against the lab's real WSS listener. Read-only on the lab (WebSocket handshakes + OPTIONS).

setupAdminDatabase();

const patchProbes = (headers: Record<string, string>, name: string, body: unknown) =>
  callRoute(patchProbesRoute, "PATCH", `/api/v1/nodes/${name}/probes`, { name }, { headers, body });
const addNode = async (name: string, source: string, rpcUrl = "http://10.0.0.5:5080/RPC") =>
  (await getDb()).kamailioNode.create({ data: { name, rpcUrl, source } });
const handshake = {
  url: "wss://gw1.example.org:443",
  origin: "https://phone.example.org",
  intervalS: 15,
  verifyTls: true,
};

describe("probe settings over the API", () => {
  it("stores a node's handshake and RTPEngine settings, with one audit row per real change", async () => {
    const headers = await bearerHeaders("admin");
    await addNode("edge1", "api");
    const rtpengineAddresses = {
      "udp:10.0.0.5:22222": { ng: "udp:127.0.0.1:22222", metricsUrl: "http://127.0.0.1:22223/metrics" },
    };
    const response = await patchProbes(headers, "edge1", { handshake, rtpengineAddresses });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: "edge1",
      source: "api",
      probes: { handshake, rtpengineAddresses },
    });
    const stored = await (await getDb()).kamailioNode.findUniqueOrThrow({ where: { name: "edge1" } });
    expect(stored).toMatchObject({
      handshakeUrl: handshake.url,
      handshakeOrigin: handshake.origin,
      handshakeIntervalS: 15,
      handshakeVerifyTls: true,
      rtpengineAddresses,
    });
    // the same again changes nothing and records nothing; a part left out stays
    expect((await patchProbes(headers, "edge1", { handshake })).status).toBe(200);
    const cleared = await patchProbes(headers, "edge1", { rtpengineAddresses: {} });
    expect((await cleared.json()).probes).toEqual({ handshake, rtpengineAddresses: {} });
    const audit = await auditRows();
    expect(audit.map((row) => [row.action, row.target])).toEqual([
      ["node.probes", "node:edge1"],
      ["node.probes", "node:edge1"],
    ]);
    expect(audit[0]?.detail).toMatchObject({
      before: {
        handshake: { url: null, origin: null, intervalS: null, verifyTls: true },
        rtpengineAddresses: {},
      },
      after: { handshake, rtpengineAddresses },
    });
  });

  it("refuses a viewer, an unknown node and invalid settings (each field named), changing nothing", async () => {
    await addNode("edge1", "api");
    expect((await patchProbes(await bearerHeaders("viewer"), "edge1", { handshake })).status).toBe(403);
    const admin = await bearerHeaders("admin");
    expect((await patchProbes(admin, "nope", { handshake })).status).toBe(404);
    const invalid = await patchProbes(admin, "edge1", {
      handshake: { ...handshake, url: "http://gw1", intervalS: 0 },
      rtpengineAddresses: { "udp:10.0.0.5:22222": { ng: "tcp:x:1" } },
    });
    expect(invalid.status).toBe(422);
    expect((await errorOf(invalid)).issues?.map((issue) => issue.path).sort()).toEqual([
      "handshake.intervalS",
      "handshake.url",
      "rtpengineAddresses.udp:10.0.0.5:22222.ng",
    ]);
    const noOrigin = await patchProbes(admin, "edge1", { handshake: { ...handshake, origin: null } });
    expect((await errorOf(noOrigin)).issues).toEqual([
      { path: "handshake.origin", message: "Origin is required with a WS/WSS URL" },
    ]);
    expect(await auditRows()).toEqual([]);
  });

  it("settings of a node from KAMAILIO_NODES can be edited and survive the next start's seeding", async () => {
    await seedNodes(await getDb(), { env: { KAMAILIO_NODES: "edge1=http://10.0.0.5:5080/RPC" } });
    expect((await patchProbes(await bearerHeaders("admin"), "edge1", { handshake })).status).toBe(200);
    await seedNodes(await getDb(), { env: { KAMAILIO_NODES: "edge1=http://10.0.0.6:5080/RPC" } });
    const node = await (await getDb()).kamailioNode.findUniqueOrThrow({ where: { name: "edge1" } });
    expect(node).toMatchObject({
      source: "env",
      rpcUrl: "http://10.0.0.6:5080/RPC",
      handshakeUrl: handshake.url,
    });
  });

  it("the running poller uses a new handshake target and interval from the node's next cycle, no restart", async () => {
    const lab = (await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR })).config;
    const headers = await bearerHeaders("admin");
    await addNode("edge-hs", "api", lab.rpc); // not named "lab": no lab default, so no target at first
    process.env.KAMDASH_POLL_INTERVAL_MS = "1000";
    delete process.env.KAMDASH_HANDSHAKE;
    resetLiveStore();
    const poller = await startPoller();
    try {
      if (!poller) throw new Error("the poller did not start");
      const before = await nextCycles("edge-hs", 1);
      expect(before.up).toBe(true);
      expect(before.handshake).toBeNull();
      expect(probe(before).state).toBe("unavailable");

      const target = { url: lab.sip.wss, origin: lab.origins[0] ?? "", intervalS: 1, verifyTls: false };
      expect((await patchProbes(headers, "edge-hs", { handshake: target })).status).toBe(200);
      const after = await nextCycles("edge-hs", 1);
      expect(probe(after).state).toBe("ok");
      expect(after.handshake?.last).toMatchObject({ url: lab.sip.wss, outcome: "ok", httpStatus: 101 });
      // interval 1 s at a 1 s poll: an attempt every cycle
      const every = attempts(await nextCycles("edge-hs", 3)) - attempts(after);
      expect(every).toBe(3);

      // the interval set to an hour: one attempt at once (the change), then none
      expect(
        (await patchProbes(headers, "edge-hs", { handshake: { ...target, intervalS: 3600 } })).status,
      ).toBe(200);
      const changed = await nextCycles("edge-hs", 1);
      expect(attempts(await nextCycles("edge-hs", 3))).toBe(attempts(changed));
    } finally {
      await stopPoller();
      resetLiveStore();
      delete process.env.KAMDASH_POLL_INTERVAL_MS;
    }
  });
});

function probe(snapshot: NodeSnapshot) {
  const found = snapshot.probes.find((p) => p.probe === "handshake");
  if (!found) throw new Error("no handshake probe in the snapshot");
  return found;
}

const attempts = (snapshot: NodeSnapshot) =>
  snapshot.handshake?.windows.find((w) => w.window === "1h")?.attempts ?? 0;
