import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getNodesRoute } from "@/app/api/v1/nodes/route";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { GET as getStreamRoute } from "@/app/api/v1/stream/route";
import { getDb } from "@/lib/db";
import { waitFor } from "../support/wait";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// A node whose RPC URL carries Basic-auth credentials (allowed by the RPC client): the poller must still send them
// to Kamailio, but the URL that viewers and wall kiosks see (overview, stream, node list, events) must not.

const secret = "s3cret-rpc-pass";
let server: Server;
let seenAuthorization: string[] = [];
let shownUrl: string;
let polled: PolledNodes;

beforeAll(async () => {
  // stands in for a Kamailio behind auth that refuses: the node is down, and we see what the poller sent
  server = createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization ?? "");
    request.resume();
    response.writeHead(403, { "content-type": "text/plain" }).end("forbidden");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  shownUrl = `http://127.0.0.1:${address.port}/RPC`;
  polled = await startPollingNodes("poller_credentials", [
    { name: "guarded", rpcUrl: `http://kam:${secret}@127.0.0.1:${address.port}/RPC`, source: "cli" },
  ]);
  seenAuthorization = [];
  await nextCycles("guarded", 1);
});

afterAll(async () => {
  await polled?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function firstStreamEvent(): Promise<string> {
  const controller = new AbortController();
  const response = await getStreamRoute(apiRequest("/api/v1/stream", polled.headers, controller.signal), {
    params: Promise.resolve({}),
  });
  const reader = response.body?.getReader();
  if (!reader) throw new Error("stream has no body");
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("event: snapshot")) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  controller.abort();
  await reader.cancel();
  return text;
}

describe("RPC URL credentials", () => {
  it("are sent to Kamailio as Basic auth", () => {
    expect(seenAuthorization.length).toBeGreaterThan(0);
    expect(seenAuthorization[0]).toBe(`Basic ${Buffer.from(`kam:${secret}`).toString("base64")}`);
  });

  it("never reach the overview, the node list or the stream", async () => {
    const overview = await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
      params: Promise.resolve({}),
    });
    const overviewText = await overview.text();
    expect(overview.status).toBe(200);
    expect(overviewText).not.toContain(secret);
    expect(JSON.parse(overviewText).nodes[0].rpcUrl).toBe(shownUrl);

    const nodes = await getNodesRoute(apiRequest("/api/v1/nodes", polled.headers), {
      params: Promise.resolve({}),
    });
    const nodesText = await nodes.text();
    expect(nodesText).not.toContain(secret);
    expect(JSON.parse(nodesText)[0].rpcUrl).toBe(shownUrl);

    const stream = await firstStreamEvent();
    expect(stream).toContain(`"rpcUrl":"${shownUrl}"`);
    expect(stream).not.toContain(secret);
  });

  it("are not stored in the node_down event", async () => {
    const db = await getDb();
    // events are written after the cycle's snapshot is published (and its sample row and alert evaluation)
    await waitFor(async () => (await db.event.count({ where: { kind: "node_down" } })) > 0, {
      timeoutMs: 10_000,
      description: "the node_down event row",
    });
    const events = await db.event.findMany({ where: { kind: "node_down" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify([events[0]?.message, events[0]?.detail])).not.toContain(secret);
    expect(events[0]?.detail).toMatchObject({ rpcUrl: shownUrl });
  });
});
