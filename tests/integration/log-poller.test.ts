import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { readPollerConfig } from "@/lib/poller/config";
import { resetLiveStore } from "@/lib/poller/live";
import { createPoller } from "@/lib/poller/poller";
import { captureLog, type LogLine } from "../support/log-capture";
import { createTempAppDatabase } from "./app-database";

// The server log as the poller writes it: a node whose poll cycle fails is logged as one JSON line that names
// the node, through the poller's own default error reporting (no onError given).

let database: { drop: () => Promise<void> } | undefined;
beforeAll(async () => {
  database = await createTempAppDatabase("logpoller");
});
afterAll(async () => {
  resetLiveStore();
  await database?.drop();
});

describe("poller log lines", () => {
  it("logs a node's failed poll cycle as JSON with level, time, msg and node, and no credentials", async () => {
    const db = await getDb();
    await db.kamailioNode.create({
      data: { name: "edge-log", rpcUrl: "http://kamdash:hunter2secret@127.0.0.1:9/RPC", source: "admin" },
    });
    // the node's first cycle reads its last stored sample: without that table the cycle fails before any RPC
    await db.$executeRawUnsafe('ALTER TABLE "sample" RENAME TO "sample_gone"');
    const logged = captureLog();
    const poller = createPoller({ db, config: readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: "1000" }) });
    let line: LogLine | undefined;
    try {
      await poller.start();
      const deadline = Date.now() + 15_000;
      while (!line && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        line = logged.lines().find((entry) => entry.node === "edge-log");
      }
    } finally {
      await poller.stopAll();
      logged.restore();
    }
    expect(line).toMatchObject({
      level: "error",
      node: "edge-log",
      msg: "poller: node edge-log: poll cycle failed",
      err: { message: expect.stringContaining("sample") },
    });
    expect(new Date(String(line?.time)).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(logged.text()).not.toContain("hunter2secret");
  });
});
