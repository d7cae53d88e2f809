import { describe, expect, it } from "vitest";
import { DELETE as deleteNodeRoute, PATCH as patchNodeRoute } from "@/app/api/v1/nodes/[name]/route";
import { POST as postNodesRoute } from "@/app/api/v1/nodes/route";
import { getDb } from "@/lib/db";
import { getNodeSnapshot, resetLiveStore, subscribe } from "@/lib/poller/live";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { startPoller, stopPoller } from "@/lib/poller/start";
import {
  auditRows,
  bearerHeaders,
  browserHeaders,
  callRoute,
  closedPort,
  errorOf,
  sessionFor,
  setupAdminDatabase,
} from "./admin-support";
import { nextCycles } from "./poller-harness";

// Nodes managed over the JSON API (the admin page's server actions call the same service): real PostgreSQL, real
// route handlers, and the process's real poller for "polled without a restart".

setupAdminDatabase();

const postNode = (headers: Record<string, string>, body: unknown) =>
  callRoute(postNodesRoute, "POST", "/api/v1/nodes", {}, { headers, body });
const patchNode = (headers: Record<string, string>, name: string, body: unknown) =>
  callRoute(patchNodeRoute, "PATCH", `/api/v1/nodes/${name}`, { name }, { headers, body });
const deleteNode = (headers: Record<string, string>, name: string) =>
  callRoute(deleteNodeRoute, "DELETE", `/api/v1/nodes/${name}`, { name }, { headers });
const storedNodes = async () => (await getDb()).kamailioNode.findMany({ orderBy: { name: "asc" } });

/** Resolves with `node`'s first snapshot and how many poll cycles `reference` finished before it. */
function firstSnapshotOf(
  node: string,
  reference: string,
): Promise<{ snapshot: NodeSnapshot; cycles: number }> {
  return new Promise((resolve, reject) => {
    let referenceSeen = getNodeSnapshot(reference)?.polledAt;
    let cycles = 0;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${node} was not polled while ${reference} finished ${cycles} cycles`));
    }, 60_000);
    const unsubscribe = subscribe(() => {
      const polledAt = getNodeSnapshot(reference)?.polledAt;
      if (polledAt !== referenceSeen) {
        referenceSeen = polledAt;
        cycles += 1;
      }
      const snapshot = getNodeSnapshot(node);
      if (snapshot) {
        clearTimeout(timer);
        unsubscribe();
        resolve({ snapshot, cycles });
      }
    });
  });
}

describe("nodes over the API", () => {
  it("lets an admin add, disable, enable and remove a node, with an audit row per change", async () => {
    const headers = await bearerHeaders("admin");
    const added = await postNode(headers, { name: "edge1", rpcUrl: "http://kam:secret@10.0.0.5:5080/RPC" });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({
      name: "edge1",
      rpcUrl: "http://10.0.0.5:5080/RPC",
      enabled: true,
      source: "api",
    });
    expect(await storedNodes()).toMatchObject([
      { name: "edge1", rpcUrl: "http://kam:secret@10.0.0.5:5080/RPC", enabled: true, source: "api" },
    ]);

    const disabled = await patchNode(headers, "edge1", { enabled: false });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ name: "edge1", enabled: false });
    expect((await storedNodes())[0]?.enabled).toBe(false);
    // the state it already has: no change, no audit row
    expect((await patchNode(headers, "edge1", { enabled: false })).status).toBe(200);
    expect((await patchNode(headers, "edge1", { enabled: true })).status).toBe(200);
    expect((await storedNodes())[0]?.enabled).toBe(true);

    const removed = await deleteNode(headers, "edge1");
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ removed: { name: "edge1" } });
    expect(await storedNodes()).toEqual([]);
    expect((await deleteNode(headers, "edge1")).status).toBe(404);
    expect((await patchNode(headers, "edge1", { enabled: true })).status).toBe(404);

    const audit = await auditRows();
    expect(audit.map((row) => [row.actor, row.action, row.target, row.result])).toEqual([
      ["token:admin-script", "node.add", "node:edge1", "ok"],
      ["token:admin-script", "node.disable", "node:edge1", "ok"],
      ["token:admin-script", "node.enable", "node:edge1", "ok"],
      ["token:admin-script", "node.remove", "node:edge1", "ok"],
    ]);
    expect(audit[0]?.detail).toEqual({ rpcUrl: "http://10.0.0.5:5080/RPC", source: "api" });
    expect(JSON.stringify(audit.map((row) => row.detail))).not.toContain("secret");
  });

  it("refuses viewers and operators with 403 and changes nothing", async () => {
    const admin = await bearerHeaders("admin");
    expect((await postNode(admin, { name: "keep", rpcUrl: "http://127.0.0.1:5080/RPC" })).status).toBe(201);
    for (const role of ["viewer", "operator"] as const) {
      const refusedHeaders: Record<string, string>[] = [
        await bearerHeaders(role),
        browserHeaders(await sessionFor(role)),
      ];
      for (const headers of refusedHeaders) {
        const attempts = [
          await postNode(headers, { name: `by-${role}`, rpcUrl: "http://127.0.0.1:5080/RPC" }),
          await patchNode(headers, "keep", { enabled: false }),
          await deleteNode(headers, "keep"),
        ];
        for (const response of attempts) {
          expect(response.status, role).toBe(403);
          expect((await errorOf(response)).code).toBe("forbidden");
        }
      }
    }
    expect(await storedNodes()).toMatchObject([{ name: "keep", enabled: true }]);
    expect((await auditRows()).map((row) => row.action)).toEqual(["node.add"]);
  });

  it("refuses a cookie-authenticated change without the CSRF header (403) and accepts it with", async () => {
    const session = await sessionFor("admin");
    const body = { name: "from-browser", rpcUrl: "http://127.0.0.1:5080/RPC" };
    const refusedHeaders: Record<string, string>[] = [
      { cookie: session.cookie, origin: "http://127.0.0.1:3000" },
      { cookie: session.cookie, origin: "https://evil.example", "x-csrf-token": session.csrf },
    ];
    for (const headers of refusedHeaders) {
      const refused = await postNode(headers, body);
      expect(refused.status).toBe(403);
      expect((await errorOf(refused)).code).toBe("csrf_failed");
    }
    const noCsrfDelete = await deleteNode({ cookie: session.cookie, origin: "http://127.0.0.1:3000" }, "x");
    expect(noCsrfDelete.status).toBe(403);
    expect(await storedNodes()).toEqual([]);

    expect((await postNode(browserHeaders(session), body)).status).toBe(201);
    expect((await auditRows()).map((row) => row.actor)).toEqual(["operator:admin-user"]);
  });

  it("answers 422 naming the field, 409 for a taken name, 415 without JSON", async () => {
    const headers = await bearerHeaders("admin");
    const cases: [unknown, string][] = [
      [{ name: "bad name!", rpcUrl: "http://127.0.0.1:5080/RPC" }, "name"],
      [{ name: "-dash-first", rpcUrl: "http://127.0.0.1:5080/RPC" }, "name"],
      [{ name: "ok", rpcUrl: "ftp://127.0.0.1/RPC" }, "rpcUrl"],
      [{ name: "ok", rpcUrl: "not a url" }, "rpcUrl"],
      [{ name: "ok" }, "rpcUrl"],
    ];
    for (const [body, field] of cases) {
      const response = await postNode(headers, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const error = await errorOf(response);
      expect(error.code).toBe("validation_failed");
      expect(error.issues?.map((issue) => issue.path)).toEqual([field]);
    }
    expect((await postNode(headers, { name: "edge1", rpcUrl: "https://10.0.0.5/RPC" })).status).toBe(201);
    const taken = await postNode(headers, { name: "edge1", rpcUrl: "http://10.0.0.6:5080/RPC" });
    expect(taken.status).toBe(409);
    expect(await errorOf(taken)).toMatchObject({
      code: "conflict",
      message: 'A node named "edge1" already exists',
    });

    const patch = await patchNode(headers, "edge1", { enabled: "no" });
    expect(patch.status).toBe(422);
    expect((await errorOf(patch)).issues?.map((issue) => issue.path)).toEqual(["enabled"]);

    const form = await postNodesRoute(
      new Request("http://127.0.0.1:3000/api/v1/nodes", {
        method: "POST",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
        body: "name=x&rpcUrl=http://127.0.0.1/RPC",
      }),
      { params: Promise.resolve({}) },
    );
    expect(form.status).toBe(415);
    expect((await storedNodes()).map((node) => node.rpcUrl)).toEqual(["https://10.0.0.5/RPC"]);
    expect((await auditRows()).map((row) => row.action)).toEqual(["node.add"]);
  });

  it("has the running poller poll an added node within two poll intervals, and drop it when disabled", async () => {
    const headers = await bearerHeaders("admin");
    process.env.KAMDASH_POLL_INTERVAL_MS = "1000";
    resetLiveStore();
    const poller = await startPoller();
    try {
      if (!poller) throw new Error("the poller did not start");
      // a node polled since before the change: its cycles are the clock
      await postNode(headers, { name: "reference", rpcUrl: `http://127.0.0.1:${await closedPort()}/RPC` });
      await nextCycles("reference", 1);

      const polled = firstSnapshotOf("added", "reference");
      const rpcUrl = `http://127.0.0.1:${await closedPort()}/RPC`;
      expect((await postNode(headers, { name: "added", rpcUrl })).status).toBe(201);
      expect(poller.keys()).toContain("added");
      const { snapshot, cycles } = await polled;
      expect(cycles).toBeLessThanOrEqual(2);
      // nothing listens there: down with the error, which shows it was really polled
      expect(snapshot).toMatchObject({ name: "added", up: false, rpcUrl });
      expect(snapshot.error).toBeTruthy();

      expect((await patchNode(headers, "added", { enabled: false })).status).toBe(200);
      expect(poller.keys()).not.toContain("added");
      expect((await deleteNode(headers, "reference")).status).toBe(200);
      expect(poller.keys()).toEqual([]);
    } finally {
      await stopPoller();
      resetLiveStore();
      delete process.env.KAMDASH_POLL_INTERVAL_MS;
    }
  });
});
