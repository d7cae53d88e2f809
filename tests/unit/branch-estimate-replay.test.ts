// The branch-failure estimate through the real poll cycle (RPC client → probes → snapshot) on replies captured
// from real Kamailio 5.6.3 (tests/fixtures/rpc/stats.fetch.invite-replies.*): a node without bridge counters gets
// the estimate, labelled; a node with them never does; a restart gives no negative rate; no statistics, no estimate.
import { describe, expect, it } from "vitest";
import { ESTIMATE_FORMULA, ESTIMATE_STATS } from "@/lib/poller/branch-estimate";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { probeOf, replayNodePerTest } from "../support/poll-replay";

const rpc = (name: string) => ({ file: `rpc/${name}` });
const start = replayNodePerTest();
const ESTIMATE_ROUTE = `stats.fetch ${ESTIMATE_STATS.join(" ")}`;
/** Real replies: a Kamailio with no INVITE reply yet (all "0"), then the lab after calls (348 2xx, 4 4xx, 7 5xx). */
const idle = rpc("stats.fetch.invite-replies.foreign-idle.json");
const afterCalls = rpc("stats.fetch.invite-replies.lab-after-calls.json");
/** Our gateway's captures, but its counters group missing: what a foreign config looks like to kamdash. */
const noCounters = { "cnt.grp_get_all bridge": rpc("cnt.grp_get_all.no-such-group.json") };
const fiveMinutes = (s: NodeSnapshot) => s.branchFailure?.windows.find((w) => w.window === "5m");
const uptime = (s: number) => ({
  body: `{"jsonrpc":"2.0","result":{"now":"Wed Jul  8 09:07:00 2026","up_since":"Wed Jul  8 09:06:58 2026","uptime":${s}},"id":1}`,
});

describe("branch-failure estimate on replayed replies", () => {
  it("a node without bridge counters: 5xx ÷ INVITE final replies, marked estimate with its formula", async () => {
    const n = await start({ ...noCounters, [ESTIMATE_ROUTE]: [idle, afterCalls] });
    const first = (await n.poll()).snapshot;
    expect(first.branchFailure).toMatchObject({
      source: "reply statistics",
      estimate: true,
      formula: ESTIMATE_FORMULA,
    });
    expect(fiveMinutes(first)?.total).toMatchObject({ relayed: 0, rate: null, verdict: "too_few" });
    const { snapshot } = await n.poll();
    expect(fiveMinutes(snapshot)?.total).toEqual({
      relayed: 359,
      failed: 7,
      rate: 7 / 359,
      verdict: "judged",
    });
    expect(fiveMinutes(snapshot)?.worst).toEqual({ direction: "all", rate: 7 / 359 });
    expect(snapshot.branches).toBeNull(); // no bridge counters stored or shown
    expect(snapshot.unavailable.map((u) => u.probe)).toContain("branches");
    expect(probeOf(snapshot, "branch-estimate").state).toBe("ok");
  });

  it("a Kamailio restart (statistics from 0 again) gives no negative rate and no spike", async () => {
    const n = await start({ ...noCounters, [ESTIMATE_ROUTE]: [idle, afterCalls, idle, afterCalls] });
    await n.poll();
    const before = fiveMinutes((await n.poll()).snapshot)?.total;
    n.setCoreUptime([uptime(2), uptime(4), uptime(6)]);
    const restarted = await n.poll();
    expect(restarted.events.map((e) => e.kind)).toEqual(["node_restarted"]);
    expect(fiveMinutes(restarted.snapshot)?.total).toEqual(before); // the drop to 0 is not a delta
    const later = fiveMinutes((await n.poll()).snapshot)?.total;
    // after the restart the statistics grew again by 359 / 7: added, never subtracted
    expect(later).toEqual({ relayed: 718, failed: 14, rate: 14 / 718, verdict: "judged" });
  });

  it("a node with the bridge counters never uses the estimate (nor asks for its statistics)", async () => {
    const n = await start({ [ESTIMATE_ROUTE]: afterCalls });
    await n.poll();
    const { snapshot } = await n.poll();
    expect(snapshot.branchFailure).toMatchObject({
      source: "bridge counters",
      estimate: false,
      formula: null,
    });
    expect(
      n.server.calls.filter((c) => c.method === "stats.fetch" && c.params[0] === ESTIMATE_STATS[0]),
    ).toEqual([]);
  });

  it("no reply statistics (names left out, or stats.fetch unknown): no rate at all, the reason named", async () => {
    const leftOut = await start({
      ...noCounters,
      [ESTIMATE_ROUTE]: { body: '{"jsonrpc":"2.0","result":{},"id":1}' },
    });
    const { snapshot } = await leftOut.poll();
    expect(snapshot.branchFailure).toBeNull();
    expect(probeOf(snapshot, "branch-estimate")).toMatchObject({ state: "unavailable" });
    expect(probeOf(snapshot, "branch-estimate").reason).toContain(
      "no core.rcv_replies_<N>xx_invite statistics",
    );

    const unknown = await start({ ...noCounters }); // the replay answers Method Not Found, as Kamailio without kex
    const bare = (await unknown.poll()).snapshot;
    expect(bare.branchFailure).toBeNull();
    expect(probeOf(bare, "branch-estimate").reason).toContain("Method Not Found");
  });
});
