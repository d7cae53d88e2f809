import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  addNode,
  listNodes,
  NodeConfigError,
  NodeExistsError,
  NodeNotFoundError,
  removeNode,
  seedNodes,
  setNodeEnabled,
} from "@/lib/nodes";
import { type OpenTempPostgres, openTempPostgres } from "../support/temp-postgres";

let database: OpenTempPostgres;
let labDir: string;

beforeAll(async () => {
  database = await openTempPostgres("nodes");
});
afterAll(async () => {
  await database.drop();
  rmSync(labDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await database.prisma.kamailioNode.deleteMany();
  labDir = path.join(process.cwd(), "test-results", `lab-${process.pid}`);
});

async function summary() {
  return (await listNodes(database.prisma)).map(({ name, rpcUrl, enabled, source }) => ({
    name,
    rpcUrl,
    enabled,
    source,
  }));
}

describe("node registry", () => {
  it("adds, lists by name, disables and removes nodes", async () => {
    await addNode(database.prisma, { name: "b", rpcUrl: "http://10.0.0.2:5080/RPC" }, "cli");
    await addNode(database.prisma, { name: "a", rpcUrl: "http://10.0.0.1:5080/RPC" }, "ui");
    await expect(addNode(database.prisma, { name: "a", rpcUrl: "http://x/RPC" }, "cli")).rejects.toThrowError(
      NodeExistsError,
    );
    await setNodeEnabled(database.prisma, "b", false);
    expect(await summary()).toEqual([
      { name: "a", rpcUrl: "http://10.0.0.1:5080/RPC", enabled: true, source: "ui" },
      { name: "b", rpcUrl: "http://10.0.0.2:5080/RPC", enabled: false, source: "cli" },
    ]);
    await removeNode(database.prisma, "a");
    await expect(removeNode(database.prisma, "a")).rejects.toThrowError(NodeNotFoundError);
    expect((await summary()).map((node) => node.name)).toEqual(["b"]);
  });
});

describe("seedNodes", () => {
  it("upserts KAMAILIO_NODES, disables env nodes no longer listed, leaves CLI/UI nodes alone", async () => {
    await addNode(database.prisma, { name: "manual", rpcUrl: "http://10.0.0.9:5080/RPC" }, "cli");
    const first = await seedNodes(database.prisma, {
      env: { KAMAILIO_NODES: "edge1=http://10.0.0.1:5080/RPC,edge2=http://10.0.0.2:5080/RPC" },
      labJsonPath: path.join(labDir, "missing.json"),
    });
    expect(first).toEqual({ from: "env", upserted: ["edge1", "edge2"], disabled: [] });

    const second = await seedNodes(database.prisma, {
      env: { KAMAILIO_NODES: "edge1=http://10.0.0.11:5080/RPC" },
      labJsonPath: path.join(labDir, "missing.json"),
    });
    expect(second).toEqual({ from: "env", upserted: ["edge1"], disabled: ["edge2"] });
    expect(await summary()).toEqual([
      { name: "edge1", rpcUrl: "http://10.0.0.11:5080/RPC", enabled: true, source: "env" },
      { name: "edge2", rpcUrl: "http://10.0.0.2:5080/RPC", enabled: false, source: "env" },
      { name: "manual", rpcUrl: "http://10.0.0.9:5080/RPC", enabled: true, source: "cli" },
    ]);
  });

  it("fails on a bad KAMAILIO_NODES entry without touching the nodes", async () => {
    await expect(
      seedNodes(database.prisma, {
        env: { KAMAILIO_NODES: "edge1=http://x/RPC,oops" },
        labJsonPath: "/nonexistent",
      }),
    ).rejects.toThrowError(/entry 2 "oops"/);
    expect(await summary()).toEqual([]);
  });

  it("without KAMAILIO_NODES, adds node 'lab' from .lab/lab.json", async () => {
    mkdirSync(labDir, { recursive: true });
    const labJsonPath = path.join(labDir, "lab.json");
    writeFileSync(labJsonPath, JSON.stringify({ domain: "127.0.0.1", rpc: "http://127.0.0.1:5080/RPC" }));
    expect(await seedNodes(database.prisma, { env: {}, labJsonPath })).toEqual({
      from: "lab",
      upserted: ["lab"],
      disabled: [],
    });
    expect(await summary()).toEqual([
      { name: "lab", rpcUrl: "http://127.0.0.1:5080/RPC", enabled: true, source: "lab" },
    ]);

    writeFileSync(labJsonPath, JSON.stringify({ rpc: "not a url" }));
    await expect(seedNodes(database.prisma, { env: {}, labJsonPath })).rejects.toThrowError(NodeConfigError);
    writeFileSync(labJsonPath, "{");
    await expect(seedNodes(database.prisma, { env: {}, labJsonPath })).rejects.toThrowError(/not valid JSON/);
  });

  it("does nothing without KAMAILIO_NODES and without a lab", async () => {
    expect(
      await seedNodes(database.prisma, { env: {}, labJsonPath: path.join(labDir, "missing.json") }),
    ).toEqual({
      from: "none",
      upserted: [],
      disabled: [],
    });
  });
});
