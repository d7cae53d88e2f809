import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getOverviewRoute } from "@/app/api/v1/overview/route";
import { getDb } from "@/lib/db";
import { type NodeSnapshot, nodeNumberKeys, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { type LabConfig, labUp } from "../../scripts/lab/lab";
import { type DelayProxy, startDelayProxy } from "../support/delay-proxy";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { gatewaySuiteUsers } from "../support/lab";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes, withinCycles } from "./poller-harness";

// Fault: Kamailio answering slowly. The poller reads the real lab Kamailio through a delaying proxy
// (tests/support/delay-proxy.ts) with a 1.5 s RPC timeout; replies held 2.5 s time out. Slow lists: the node stays
// up and each late probe shows its last good value as stale, with when it was measured and the timeout as reason.
// Slow core.uptime too: the node is down with the timeout as reason and null numbers. Both recover by themselves
// when the delay goes. The probes run in parallel here; fault-kamailio-slow-sequential.test.ts covers the default
// sequential mode and its cycle budget. Read-only RPC (no lab user, nothing restarted); run under
// `flock /tmp/kamdash-lab.lock`.

const INTERVAL_MS = 1000;
const RPC_TIMEOUT_MS = 1500;
const SLOW_MS = 2500;
const NODE = "slow";
const TIMEOUT_REASON = `no complete reply within ${RPC_TIMEOUT_MS} ms`;

let lab: LabConfig;
let proxy: DelayProxy;
let polled: PolledNodes;

const within = (cycles: number, done: (s: NodeSnapshot) => boolean, what: string) =>
  withinCycles(NODE, cycles, done, what);

const healthy = (s: NodeSnapshot) =>
  s.up && s.probes.every((p) => p.state === "ok" || p.state === "unavailable");

async function overviewNode() {
  const response = await getOverviewRoute(apiRequest("/api/v1/overview", polled.headers), {
    params: Promise.resolve({}),
  });
  return OverviewResponseSchema.parse(await response.json()).nodes.find((n) => n.name === NODE);
}

async function eventKinds(): Promise<string[]> {
  const db = await getDb();
  return (await db.event.findMany({ orderBy: { id: "asc" } })).map((e) => {
    const probe = (e.detail as { probe?: string } | null)?.probe;
    return probe ? `${e.kind}:${probe}` : e.kind;
  });
}

beforeAll(async () => {
  lab = (await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers })).config;
  proxy = await startDelayProxy(lab.rpc);
  polled = await startPollingNodes(
    "fault_slow",
    [{ name: NODE, rpcUrl: proxy.url, source: "cli" }],
    {
      intervalMs: INTERVAL_MS,
      heavyIntervalMs: INTERVAL_MS,
      rpcTimeoutMs: RPC_TIMEOUT_MS,
      probeBackoffMaxMs: 2 * INTERVAL_MS,
      staleMaxMs: 60_000,
      runTimeoutMs: 10_000,
    },
    { collectMode: "parallel" },
  );
  await within(6, healthy, "healthy through the proxy");
});

afterEach(() => proxy?.setDelay(0));

afterAll(async () => {
  proxy?.setDelay(0);
  await polled?.stop();
  await proxy?.close();
});

describe("fault: Kamailio answering slowly", () => {
  it("slow lists: node up, late probes stale with their age and the timeout, last good values only; then recovery", async () => {
    const before = await within(3, healthy, "healthy");
    proxy.setDelay(SLOW_MS, (method) => method !== "core.uptime" && method !== "core.version");

    const slow = await within(
      4,
      (s) => s.probes.some((p) => p.probe === "connections" && p.state === "stale"),
      "stale",
    );
    expect(slow.up).toBe(true);
    expect(slow.error).toBeNull();
    const late = slow.probes.filter((p) => p.state === "stale" || p.state === "failing");
    expect(late.map((p) => p.probe)).toEqual(
      expect.arrayContaining(["connections", "registrations", "dialogs"]),
    );
    for (const probe of late) {
      expect(probe.reason).toContain(TIMEOUT_REASON);
      expect(probe.measuredAt).not.toBeNull();
      expect(Date.parse(probe.measuredAt ?? "")).toBeLessThan(Date.parse(slow.polledAt));
    }
    for (const key of nodeNumberKeys) {
      const reading = slow.readings?.[key];
      if (reading?.state === "ok" || reading?.state === "unavailable") continue;
      // shown as stale with when it was measured (its age), equal to the last good value; or null
      if (slow[key] !== null) {
        expect({ key, state: reading?.state, value: slow[key] }).toEqual({
          key,
          state: "stale",
          value: before[key],
        });
        expect(reading?.measuredAt).not.toBeNull();
      }
      expect(reading?.reason ?? "").toContain(TIMEOUT_REASON);
    }
    const shown = await overviewNode();
    expect(shown?.up).toBe(true);
    expect(shown?.readings?.ws).toMatchObject({ state: "stale" });
    expect(shown?.ageMs).toBeGreaterThanOrEqual(0);

    proxy.setDelay(0);
    const recovered = await within(2 * 2 + 2, healthy, "recovery");
    expect(recovered.error).toBeNull();
    await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles(NODE, 2));
    const kinds = await eventKinds();
    expect(kinds).toContain("probe_failing:connections");
    expect(kinds).toContain("probe_recovered:connections");
    expect(kinds.filter((k) => k.startsWith("node_"))).toEqual([]); // slow lists never made the node "down"
    expect(polled.pollErrors).toEqual([]);
  });

  it("slow core.uptime: node down with the timeout as reason and null numbers, then up again by itself", async () => {
    const before = await within(4, healthy, "healthy");
    proxy.setDelay(SLOW_MS);

    const down = await within(4, (s) => !s.up, "node down");
    expect(down.error).toMatch(/^core\.uptime on http:\/\/127\.0\.0\.1:\d+\/RPC: /);
    expect(down.error).toContain(TIMEOUT_REASON);
    for (const key of nodeNumberKeys) expect({ key, value: down[key] }).toEqual({ key, value: null });
    for (const key of nodeNumberKeys)
      expect({ key, value: down.lastUp?.[key] }).toEqual({ key, value: before[key] });
    expect(await overviewNode()).toMatchObject({ up: false, ws: null, registrations: null });

    proxy.setDelay(0);
    const back = await within(4, (s) => s.up, "node up again");
    expect(back.kamailio?.restartedAt).toBeNull(); // uptime went on: a slow Kamailio is not a restarted one
    await within(6, healthy, "healthy again");
    await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles(NODE, 2));
    expect((await eventKinds()).filter((k) => k.startsWith("node_"))).toEqual(["node_down", "node_up"]);
    expect(polled.pollErrors).toEqual([]);
  });
});
