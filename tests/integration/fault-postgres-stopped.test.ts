import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db";
import type { HistoryStoreStatus } from "@/lib/metrics/history-store-status";
import { readPollerConfig } from "@/lib/poller/config";
import { getFleetSnapshot, getNodeSnapshot, resetLiveStore, subscribe } from "@/lib/poller/live";
import { createPoller, type Poller } from "@/lib/poller/poller";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { isProcessAlive } from "../../scripts/lab/process";
import { gatewaySuiteUsers } from "../support/lab";
import { type PrivatePostgres, startPrivatePostgres } from "../support/private-postgres";
import { nextCycles } from "./poller-harness";

// Fault: kamdash's PostgreSQL stopped for 60 s and started again. A PRIVATE cluster (initdb + pg_ctl in a temp
// folder, its own port; the shared server on 5432 is never touched) holds kamdash's database; the real poller polls
// the lab's Kamailio every second. While PostgreSQL is down the live snapshot goes on and says the history store is
// unavailable with the samples buffered; once it is back every buffered sample is in the table in order (one per
// cycle: no gap, no duplicate) without restarting anything. With a bound of 10 the oldest samples are dropped and a
// history_buffer_dropped event names how many and which cycles. Uses the lab's Kamailio read-only: run it under
// `flock /tmp/kamdash-lab.lock`.

const INTERVAL_MS = 1000;
const NODE = "lab";
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };

let lab: LabConfig;
let server: PrivatePostgres;
let nodeId: number;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const history = (): HistoryStoreStatus | null | undefined => getFleetSnapshot().historyStore;

/** A poller on kamdash's database that records every cycle time it publishes for the lab node. */
async function startPoller(writeBufferMax?: number) {
  const errors: string[] = [];
  const cycles = new Set<string>();
  const poller: Poller = createPoller({
    db: await getDb(),
    config: {
      ...readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: String(INTERVAL_MS) }),
      runTimeoutMs: 4000,
      rpcTimeoutMs: 1500,
      rpcMaxReplyBytes: 8 << 20,
    },
    writeBufferMax,
    onError: (key, err) => errors.push(`${key}: ${err instanceof Error ? err.message : String(err)}`),
  });
  const unsubscribe = subscribe(() => {
    const at = getNodeSnapshot(NODE)?.polledAt;
    if (at) cycles.add(at);
  });
  await poller.start();
  await nextCycles(NODE, 2);
  return {
    errors,
    cycles,
    stop: async () => {
      await poller.stopAll();
      unsubscribe();
    },
  };
}

/** Waits while PostgreSQL is down, checking each second that the live view goes on and says what is wrong. */
async function whileDown(ms: number): Promise<{ maxBuffered: number; since: string | null }> {
  const until = Date.now() + ms;
  let maxBuffered = 0;
  let since: string | null = null;
  while (Date.now() < until) {
    const snapshot = await nextCycles(NODE, 1);
    expect(snapshot.up).toBe(true); // Kamailio is fine: the live numbers go on
    const status = history();
    if (status?.state === "unavailable") {
      since ??= status.unavailableSince;
      expect(status.unavailableSince).toBe(since);
      maxBuffered = Math.max(maxBuffered, status.bufferedSamples);
    }
  }
  return { maxBuffered, since };
}

async function waitRecovered(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const status = history();
    if (status?.state === "ok" && status.bufferedSamples === 0 && status.bufferedRows === 0) return;
    await sleep(500);
  }
  throw new Error(`history store not recovered: ${JSON.stringify(history())}`);
}

async function storedCycles(from: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.sample.findMany({
    where: { nodeId, at: { gte: new Date(from) } },
    orderBy: { at: "asc" },
    select: { at: true },
  });
  return rows.map((row) => row.at.toISOString());
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  lab = (await labUp(labOptions)).config;
  server = await startPrivatePostgres("fault");
  await server.createDatabase("kamdash_fault");
  await closeDb();
  process.env.DATABASE_URL = server.url("kamdash_fault");
  resetLiveStore();
  const db = await getDb();
  nodeId = (await db.kamailioNode.create({ data: { name: NODE, rpcUrl: lab.rpc, source: "lab" } })).id;
}, 120_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  resetLiveStore();
  await closeDb();
  delete process.env.DATABASE_URL;
  await server?.destroy();
});

describe("fault: kamdash's PostgreSQL stopped for 60 s and started again", () => {
  it("buffers every sample in memory, says so on the live view, and writes them all in order when it is back", async () => {
    const polled = await startPoller();
    try {
      const pid = server.pid();
      expect(pid).not.toBeNull();
      expect(history()).toMatchObject({ state: "ok", bufferedSamples: 0, bufferMax: 10_000 });
      await server.stop();
      const stoppedAt = new Date().toISOString();
      expect(await isProcessAlive(pid ?? 0, "postgres")).toBe(false);
      const down = await whileDown(60_000);
      expect(down.since).not.toBeNull();
      // every cycle since the stop waits in memory (the one in flight at the stop may have been written)
      const cyclesDown = [...polled.cycles].filter((at) => at >= stoppedAt).length;
      expect(cyclesDown).toBeGreaterThan(30);
      expect(down.maxBuffered).toBeGreaterThanOrEqual(cyclesDown - 1);
      const during = history();
      expect(during).toMatchObject({ state: "unavailable", droppedSamples: 0 });
      expect(during?.lastError).toBeTruthy();

      await server.start();
      await waitRecovered();
      await nextCycles(NODE, 2);
    } finally {
      await polled.stop();
    }
    const recorded = [...polled.cycles].sort();
    const stored = await storedCycles(recorded[0] ?? "");
    expect(new Set(stored).size).toBe(stored.length); // no duplicate
    expect(stored).toEqual(recorded); // every cycle, none missing
    const gaps = stored.slice(1).map((at, i) => Date.parse(at) - Date.parse(stored[i] ?? at));
    expect(Math.max(...gaps)).toBeLessThan(3 * INTERVAL_MS);
    expect(polled.errors.filter((e) => !e.startsWith("(jobs)"))).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 180_000);

  it("with a bound of 10 drops the oldest samples and writes an event saying how many and from when", async () => {
    if (server.pid() === null) await server.start(); // the test before failed with it stopped
    const polled = await startPoller(10);
    try {
      await server.stop();
      await whileDown(20_000);
      expect(history()).toMatchObject({ state: "unavailable", bufferedSamples: 10, bufferMax: 10 });
      expect(history()?.droppedSamples).toBeGreaterThan(0);
      await server.start();
      await waitRecovered();
      await nextCycles(NODE, 2);
    } finally {
      await polled.stop();
    }
    const db = await getDb();
    const events = await db.event.findMany({ where: { kind: "history_buffer_dropped" } });
    expect(events).toHaveLength(1);
    const detail = events[0]?.detail as {
      droppedSamples: number;
      from: string;
      to: string;
      bufferMax: number;
    };
    const recorded = [...polled.cycles].sort();
    const stored = await storedCycles(recorded[0] ?? "");
    const missing = recorded.filter((at) => !stored.includes(at));
    expect(stored.filter((at) => !recorded.includes(at))).toEqual([]);
    expect(missing.length).toBe(detail.droppedSamples);
    expect([missing[0], missing.at(-1)]).toEqual([detail.from, detail.to]);
    expect(detail.bufferMax).toBe(10);
    expect(events[0]?.message).toContain(`dropped the ${detail.droppedSamples} oldest samples`);
    // the oldest were dropped: every sample kept from the outage is newer than every one dropped
    const keptAfter = stored.filter((at) => at > (missing[0] ?? ""));
    expect(keptAfter.every((at) => at > (missing.at(-1) ?? ""))).toBe(true);
    expect(keptAfter.length).toBeGreaterThanOrEqual(10);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
