import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, labUp } from "../../scripts/lab/lab";
import { type DelayProxy, startDelayProxy } from "../support/delay-proxy";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { gatewaySuiteUsers } from "../support/lab";
import { nextCycles, type PolledNodes, startPollingNodes, withinCycles } from "./poller-harness";

// Fault: Kamailio answering slowly, with the poller's defaults: probes one after another (sequential mode) and a run
// timeout of max(2 × interval, 2 × RPC timeout + 1 s). Twelve probes timing out in a row would outlast the run
// timeout and lose the whole cycle; the cycle's budget stops starting probes once slow replies used it up. Proves:
// the node stays up, every cycle completes (no poll error), the probes left out show their last good values as stale
// with the reason, no probe is starved (each one is asked again within a few cycles), and recovery by itself.
// Read-only RPC through a delaying proxy; run under `flock /tmp/kamdash-lab.lock`.

const NODE = "slow-seq";
const RPC_TIMEOUT_MS = 1500;

let lab: LabConfig;
let proxy: DelayProxy;
let polled: PolledNodes;

const within = (cycles: number, done: (s: NodeSnapshot) => boolean, what: string) =>
  withinCycles(NODE, cycles, done, what);
const healthy = (s: NodeSnapshot) =>
  s.up && s.probes.every((p) => p.state === "ok" || p.state === "unavailable");

beforeAll(async () => {
  lab = (await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers })).config;
  proxy = await startDelayProxy(lab.rpc);
  // the poller's own defaults for a 1 s interval: sequential probes, runTimeoutMs = 2 × 1500 + 1000
  polled = await startPollingNodes("fault_slow_seq", [{ name: NODE, rpcUrl: proxy.url, source: "cli" }], {
    intervalMs: 1000,
    heavyIntervalMs: 1000,
    rpcTimeoutMs: RPC_TIMEOUT_MS,
    runTimeoutMs: 2 * RPC_TIMEOUT_MS + 1000,
    probeBackoffMaxMs: 2000,
    staleMaxMs: 120_000,
  });
  await within(8, healthy, "healthy through the proxy");
});

afterAll(async () => {
  proxy?.setDelay(0);
  await polled?.stop();
  await proxy?.close();
});

describe("fault: Kamailio answering slowly, probes in sequence", () => {
  it("every cycle completes within its run timeout: node up, late and left-out probes stale with a reason, none starved", async () => {
    const before = await within(3, healthy, "healthy");
    proxy.setDelay(2500, (method) => method !== "core.uptime" && method !== "core.version");

    const asked = new Set<string>();
    const seen: NodeSnapshot[] = [];
    for (let i = 0; i < 10; i++) {
      const s = await nextCycles(NODE, 1);
      seen.push(s);
      for (const p of s.probes)
        if (p.reason?.includes(`no complete reply within ${RPC_TIMEOUT_MS} ms`)) asked.add(p.probe);
    }
    for (const s of seen) expect({ up: s.up, error: s.error }).toEqual({ up: true, error: null });
    const last = seen[seen.length - 1] as NodeSnapshot;
    const skipped = last.probes.filter((p) => p.reason?.includes("not asked in this cycle"));
    expect(skipped.length).toBeGreaterThan(0);
    for (const p of skipped) expect(p.state).toBe("stale");
    // rotation: over ten cycles the slow probes were each asked (and timed out), not only the first in line
    expect([...asked]).toEqual(expect.arrayContaining(["connections", "registrations", "dialogs", "stats"]));
    expect(last.readings?.ws).toMatchObject({ state: "stale" });
    expect(last.ws).toBe(before.ws);
    expect(polled.pollErrors).toEqual([]);

    proxy.setDelay(0);
    await within(12, healthy, "recovery");
    await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles(NODE, 2));
    const db = await getDb();
    const events = await db.event.findMany({ orderBy: { id: "asc" } });
    expect(events.filter((e) => e.kind.startsWith("node_"))).toEqual([]);
    // each probe that failed recovered, once: left-out probes raise neither
    const probesOf = (kind: string) =>
      events
        .filter((e) => e.kind === kind)
        .map((e) => (e.detail as { probe?: string } | null)?.probe)
        .sort();
    expect(probesOf("probe_recovered")).toEqual(probesOf("probe_failing"));
  });
});
