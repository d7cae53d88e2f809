import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { getDb } from "@/lib/db";
import { createKamailioClient } from "@/lib/kamailio/client";
import type { ProbeRpc } from "@/lib/poller/probes/types";
import { type NodeSnapshot, nodeNumberKeys, OverviewResponseSchema } from "@/lib/poller/snapshot";
import {
  type LabConfig,
  type LabOptions,
  labUp,
  startKamailio,
  statePaths,
  stopKamailio,
} from "../../scripts/lab/lab";
import { isProcessAlive, readPid } from "../../scripts/lab/process";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { gatewaySuiteUsers } from "../support/lab";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes, withinCycles } from "./poller-harness";

// Fault: the lab's Kamailio stopped in the middle of a poll cycle, then started again. The RPC client the poller
// uses is wrapped so that, once armed, the cycle's first call after core.uptime waits while the test stops
// Kamailio (the PID the lab records, SIGTERM; the lab's stopPid sends SIGKILL if it lingers): the rest of that
// cycle meets a dead Kamailio for real. Then: the node is down with the reason, no number is made up, and it comes
// back by itself (no kamdash restart) with Kamailio's numbers exactly, a node_restarted event and no counter going
// back. It STOPS KAMAILIO: run it only under `flock /tmp/kamdash-lab.lock` (the suite runner runs files one by one).
// No lab users: it registers nothing.

const INTERVAL_MS = 1000;
const NODE = "lab";
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };

let lab: LabConfig;
let polled: PolledNodes;
/** Set when the test stops Kamailio inside a cycle: the cycle's RPC calls after core.uptime wait for it. */
let killing: Promise<void> | null = null;
let armed: (() => Promise<void>) | null = null;

/** lib/kamailio's client, with every call but core.uptime/core.version held while the armed action runs. */
function heldClient(url: string): ProbeRpc {
  const client = createKamailioClient({ url, timeoutMs: 1500, maxReplyBytes: 8 << 20 });
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "coreUptime" || property === "coreVersion")
        return value;
      return async (...args: unknown[]) => {
        if (armed) {
          killing = armed();
          armed = null;
        }
        if (killing) await killing;
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

function negativeNumbers(value: unknown, at = "$"): string[] {
  if (typeof value === "number") return value < 0 ? [`${at} = ${value}`] : [];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => negativeNumbers(v, `${at}.${k}`));
}

async function events(): Promise<string[]> {
  const db = await getDb();
  return (await db.event.findMany({ where: { kind: { startsWith: "node_" } }, orderBy: { id: "asc" } })).map(
    (e) => e.kind,
  );
}

async function overviewNode() {
  const response = await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
    params: Promise.resolve({}),
  });
  return OverviewResponseSchema.parse(await response.json()).nodes.find((n) => n.name === NODE);
}

const within = (cycles: number, done: (s: NodeSnapshot) => boolean, what: string) =>
  withinCycles(NODE, cycles, done, what);

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  polled = await startPollingNodes(
    "fault_kamailio",
    [{ name: NODE, rpcUrl: lab.rpc, source: "lab" }],
    {
      intervalMs: INTERVAL_MS,
      heavyIntervalMs: INTERVAL_MS,
      probeBackoffMaxMs: 2 * INTERVAL_MS,
      runTimeoutMs: 20_000,
    },
    { createRpc: (target) => heldClient(target.rpcUrl) },
  );
  await nextCycles(NODE, 2);
});

afterAll(async () => {
  armed = null;
  await startKamailio(labOptions).catch(() => undefined); // never leave the lab without Kamailio
  await labUp(labOptions).catch(() => undefined);
  await polled?.stop();
});

describe("fault: Kamailio killed and restarted mid-poll", () => {
  it("goes down with the reason and no made-up number, then recovers by itself with Kamailio's own numbers", async () => {
    const before = await within(
      5,
      (s) => s.up && s.probes.every((p) => p.state !== "failing"),
      "lab healthy",
    );
    const pidFile = statePaths(labOptions.stateDir).kamailioPid;
    const oldPid = await readPid(pidFile);
    if (oldPid === null) throw new Error("the lab records no Kamailio PID");

    // the cycle that meets Kamailio dying: core.uptime answered, every later call hits the dead process
    armed = () => stopKamailio(labOptions);
    const mid = await nextCycles(NODE, 1);
    expect(killing).not.toBeNull();
    expect(await isProcessAlive(oldPid, "kamailio")).toBe(false);
    // a probe found no answer, so core.uptime was asked again in the same cycle: down at once, with the reason
    const down = mid.up ? await within(2, (s) => !s.up, "node down") : mid;
    expect(down.error).toMatch(/^core\.uptime on http:\/\/127\.0\.0\.1:\d+\/RPC: connection refused/);
    for (const key of nodeNumberKeys) expect({ key, value: down[key] }).toEqual({ key, value: null });
    // the last up values are kept as such (with lastUpAt), the ones Kamailio gave before: none made up
    for (const key of nodeNumberKeys)
      expect({ key, value: down.lastUp?.[key] }).toEqual({ key, value: before[key] });
    expect(down.lastUpAt).toBe(before.polledAt);
    const shown = await overviewNode();
    expect(shown).toMatchObject({ up: false, ws: null, registrations: null });
    expect(shown?.error).toContain("connection refused");

    const newPid = await startKamailio(labOptions);
    expect(newPid).not.toBe(oldPid);
    const back = await within(4, (s) => s.up, "node up again");
    expect(back.kamailio?.restartedAt).not.toBeNull();
    const healthy = await within(
      6,
      (s) => s.probes.every((p) => p.state === "ok" || p.state === "unavailable"),
      "probes ok",
    );
    for (const branch of healthy.branches ?? []) {
      expect(branch.relayed === null || branch.relayed >= 0).toBe(true);
      expect(branch.failed === null || branch.failed >= 0).toBe(true);
    }
    // counters start again from 0 after the restart: no negative delta, no negative rate
    expect(negativeNumbers(healthy.branchFailure)).toEqual([]);
    await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles(NODE, 2));
    expect(await overviewNode()).toMatchObject({ up: true, error: null });

    expect(await events()).toEqual(["node_down", "node_up", "node_restarted"]);
    expect(polled.pollErrors).toEqual([]);
  });
});
