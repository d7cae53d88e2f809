import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getHealthRoute } from "@/app/api/health/route";
import { GET as getEventsRoute } from "@/app/api/v1/events/route";
import { GET as getSeriesRoute } from "@/app/api/v1/nodes/[name]/series/route";
import { GET as getNodesRoute } from "@/app/api/v1/nodes/route";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { GET as getStreamRoute } from "@/app/api/v1/stream/route";
import { getDb } from "@/lib/db";
import { demandProbes, getFleetSnapshot, subscriberCount } from "@/lib/poller/live";
import { HealthResponseSchema, NodeListResponseSchema, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { labUp } from "../../scripts/lab/lab";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { waitFor } from "../support/wait";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The poller against the real lab (read-only RPC: safe while others use the lab) and a real PostgreSQL database,
// plus the API route handlers reading what it produced.

let deadUrl: string;
let polled: PolledNodes;
let labRpcUrl: string;

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  const lab = await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR });
  labRpcUrl = lab.config.rpc;
  deadUrl = `http://127.0.0.1:${await closedPort()}/RPC`;
  polled = await startPollingNodes("poller_lab", [
    { name: "lab", rpcUrl: labRpcUrl, source: "lab" },
    { name: "dead", rpcUrl: deadUrl, source: "cli" },
  ]);
});

afterAll(async () => {
  await polled?.stop();
});

describe("poller against the lab", () => {
  it("reports the lab node up with what Kamailio says, and the dead node down with nulls", async () => {
    const [lab, dead] = await Promise.all([nextCycles("lab", 2), nextCycles("dead", 2)]);
    expect(lab.up).toBe(true);
    expect(lab.error).toBeNull();
    expect(lab.rtpengineTotal).toBeGreaterThanOrEqual(1);
    expect(lab.rtpengines?.map((e) => e.url)).toContain("udp:127.0.0.1:22222");
    expect(lab.branches?.map((b) => b.direction)).toContain("wss_udp");
    expect(lab.stats?.["websocket.ws_current_connections"]).toBeTypeOf("number");
    expect(lab.lastUp).not.toBeNull();

    expect(lab.probes.filter((p) => p.state !== "ok")).toEqual([]);
    expect(lab.kamailio).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(lab.kamailio?.uptimeS).toBeGreaterThan(0);
    // every headline number exactly as Kamailio says it (core.tcp_list, ul.dump, dlg.list read directly)
    await expectSnapshotEqualsKamailio(labRpcUrl, () => nextCycles("lab", 2));

    expect(dead).toMatchObject({ up: false, ws: null, wss: null, registrations: null, lastUp: null });
    expect(dead.error).toMatch(/^core\.uptime on http:\/\/127\.0\.0\.1:\d+\/RPC: connection refused/);
    expect(polled.pollErrors).toEqual([]);
  });

  it("stores samples and a single node_down event for the dead node", async () => {
    const db = await getDb();
    const dead = await db.kamailioNode.findUniqueOrThrow({ where: { name: "dead" } });
    const lab = await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } });
    // the live snapshot is published before the cycle's sample row is written: wait for the rows themselves
    await waitFor(
      async () =>
        (await db.sample.count({ where: { nodeId: dead.id, up: false, wsConnections: null } })) > 1 &&
        (await db.sample.count({ where: { nodeId: lab.id, up: true } })) > 1,
      { timeoutMs: 10_000, description: "two stored samples per node" },
    );
    expect(await db.sample.count({ where: { nodeId: dead.id, up: true } })).toBe(0);
    const events = await db.event.findMany({ where: {}, orderBy: { at: "asc" } });
    expect(events.map((e) => [e.nodeId, e.kind])).toEqual([[dead.id, "node_down"]]);

    // and a user can read them: GET /api/v1/events (filters by node and kind; bad filters are 422)
    const read = async (query: string) =>
      getEventsRoute(apiRequest(`/api/v1/events${query}`, polled.headers), { params: Promise.resolve({}) });
    const listed = (await (await read("?node=dead")).json()) as {
      node: string;
      kind: string;
      message: string;
    }[];
    expect(listed.map((e) => [e.node, e.kind])).toEqual([["dead", "node_down"]]);
    expect(listed[0]?.message).toContain("connection refused");
    expect(await (await read("?node=lab")).json()).toEqual([]);
    expect((await read("?kind=DROP TABLE")).status).toBe(422);
  });

  it("serves the overview, node list, series and health from the poller's data", async () => {
    const overview = OverviewResponseSchema.parse(
      await (
        await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
          params: Promise.resolve({}),
        })
      ).json(),
    );
    expect(overview.nodes.map((n) => [n.name, n.up])).toEqual([
      ["dead", false],
      ["lab", true],
    ]);
    expect(overview.totals.nodesUp).toBe(1);
    expect(overview.totals.nodesTotal).toBe(2);
    expect(overview.totals.ws).toBe(overview.nodes.find((n) => n.name === "lab")?.ws);
    for (const node of overview.nodes) expect(node.ageMs).toBeGreaterThanOrEqual(0);

    const nodes = NodeListResponseSchema.parse(
      await (
        await getNodesRoute(apiRequest("/api/v1/nodes", polled.headers), { params: Promise.resolve({}) })
      ).json(),
    );
    expect(nodes.map((n) => [n.name, n.enabled, n.source, n.up])).toEqual([
      ["dead", true, "cli", false],
      ["lab", true, "lab", true],
    ]);
    const labItem = nodes.find((n) => n.name === "lab");
    expect(labItem?.kamailio?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(labItem?.kamailio?.uptimeS).toBeGreaterThan(0);
    expect(labItem?.probes.map((p) => [p.probe, p.state])).toContainEqual(["registrations", "ok"]);
    expect(nodes.find((n) => n.name === "dead")).toMatchObject({ kamailio: null, probes: [] });

    const from = new Date(Date.now() - 60_000).toISOString();
    const series = await getSeriesRoute(
      apiRequest(`/api/v1/nodes/dead/series?metric=ws&from=${from}`, polled.headers),
      { params: Promise.resolve({ name: "dead" }) },
    );
    expect(series.status).toBe(200);
    const body = (await series.json()) as {
      node: string;
      metric: string;
      points: { value: unknown; up: boolean }[];
    };
    expect(body.node).toBe("dead");
    expect(body.points.length).toBeGreaterThan(1);
    expect(body.points.every((p) => p.value === null && p.up === false)).toBe(true);

    const unknown = await getSeriesRoute(apiRequest("/api/v1/nodes/nope/series?metric=ws", polled.headers), {
      params: Promise.resolve({ name: "nope" }),
    });
    expect(unknown.status).toBe(404);
    const badMetric = await getSeriesRoute(
      apiRequest("/api/v1/nodes/lab/series?metric=bogus", polled.headers),
      {
        params: Promise.resolve({ name: "lab" }),
      },
    );
    expect(badMetric.status).toBe(422);

    const unauthenticated = await getOverviewRoute(
      apiRequest("/api/v1/overview", { host: "127.0.0.1:3000" }),
      {
        params: Promise.resolve({}),
      },
    );
    expect(unauthenticated.status).toBe(401);

    const health = await getHealthRoute();
    expect(health.status).toBe(200);
    const healthBody = HealthResponseSchema.parse(await health.json());
    expect(healthBody.status).toBe("degraded");
    expect(healthBody.database).toEqual({ ok: true });
  });

  it("streams snapshots over SSE and releases its subscription when the client goes", async () => {
    const controller = new AbortController();
    const response = await getStreamRoute(apiRequest("/api/v1/stream", polled.headers, controller.signal), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/event: snapshot\n/g) ?? []).length < 2) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    expect(text.startsWith("retry: 2000\n\n")).toBe(true);
    const events = text.split("\n\n").filter((block) => block.startsWith("event: snapshot"));
    expect(events.length).toBeGreaterThanOrEqual(2);
    const first = OverviewResponseSchema.parse(JSON.parse(events[0]?.split("\ndata: ")[1] ?? "null"));
    expect(first.nodes.map((n) => n.name)).toEqual(["dead", "lab"]);
    expect(subscriberCount()).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    expect(subscriberCount()).toBe(0);
  });

  it("fetches the heavy lists on their cadence, and on the next cycle when a page asks for them", async () => {
    const contactsAt = (s: { probes: { probe: string; measuredAt: string | null }[] }) =>
      s.probes.find((p) => p.probe === "contacts")?.measuredAt ?? null;
    const first = await nextCycles("lab", 1);
    const measured = contactsAt(first);
    expect(measured).not.toBeNull();
    // the harness polls every second and fetches ul.dump every 30 s: the next cycles keep the same dump
    const later = await nextCycles("lab", 2);
    expect(contactsAt(later)).toBe(measured);
    // while the counts are measured every cycle
    expect(Date.parse(later.readings?.registrations.measuredAt ?? "")).toBeGreaterThan(
      Date.parse(measured ?? ""),
    );
    demandProbes("lab", ["contacts"]);
    const asked = await nextCycles("lab", 2);
    expect(Date.parse(contactsAt(asked) ?? "")).toBeGreaterThan(Date.parse(measured ?? ""));
  });

  it("picks up nodes added and removed at run time", async () => {
    const db = await getDb();
    await db.kamailioNode.create({ data: { name: "lab-2", rpcUrl: labRpcUrl, source: "cli" } });
    await db.kamailioNode.update({ where: { name: "dead" }, data: { enabled: false } });
    await polled.poller.notify();
    expect(polled.poller.keys().sort()).toEqual(["lab", "lab-2"]);
    const added = await nextCycles("lab-2", 1);
    expect(added.up).toBe(true);
    expect(getFleetSnapshot().nodes.map((n) => n.name)).toEqual(["lab", "lab-2"]);

    const health = HealthResponseSchema.parse(await (await getHealthRoute()).json());
    expect(health.status).toBe("ok");
    expect(polled.pollErrors).toEqual([]);
  });
});
