import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESTIMATE_FORMULA } from "@/lib/poller/branch-estimate";
import type { BranchWindow } from "@/lib/poller/branch-windows";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { type SippCallee, startSippCallee } from "../support/sipp-phones";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The branch-failure ESTIMATE against the real lab: the lab polled as a node WITHOUT bridge counters, by pointing
// KAMDASH_BRANCH_COUNTER_GROUP at a group that does not exist (what a foreign config looks like to kamdash: the
// branches probe is unavailable). kamdash then reads Kamailio's own reply statistics. 40 WSS → UDP calls: 4 answered
// 503 by the callee (failures), 4 answered 486 Busy (a delivered call, not a failure), the rest 200: the estimate
// reads exactly 4 / 40, labelled. Lab users 48..52 (the integration slice after branch-rate-lab's).

const CALLS = 40;
const FAILING = 4; // i % 10 === 9 → 503
const BUSY = 4; // i % 10 === 8 → 486
const CALLERS = 2;
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };

let lab: LabConfig;
let polled: PolledNodes;
const callees: SippCallee[] = [];
const callers: SipWsUa[] = [];
const users = () => lab.users.slice(48, 53);

const fiveMinutes = (s: NodeSnapshot): BranchWindow => {
  const window = s.branchFailure?.windows.find((w) => w.window === "5m");
  if (!window)
    throw new Error(`no 5-minute branch window in the snapshot (${JSON.stringify(s.branchFailure)})`);
  return window;
};

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  for (const user of users()) await removeRegistrations(lab.rpc, user.username);
  polled = await startPollingNodes("branch_estimate", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }], {
    branchCounterGroup: "kamdash_no_bridge_counters",
  });
  await nextCycles("lab", 2);
});

afterAll(async () => {
  await Promise.allSettled(callers.splice(0).map((ua) => ua.close()));
  await Promise.allSettled(callees.splice(0).map((c) => c.stop()));
  for (const user of users()) await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
  await polled?.stop();
});

describe("branch-failure estimate on the lab without bridge counters", () => {
  it(`${CALLS} calls, ${FAILING} answered 503 and ${BUSY} busy: the estimate is exactly ${FAILING}/${CALLS}`, async () => {
    const [answering, failing, busy, ...callerUsers] = users();
    if (!answering || !failing || !busy) throw new Error("not enough lab users");
    const before = await nextCycles("lab", 1);
    expect(before.branches).toBeNull();
    expect(before.unavailable.map((u) => u.probe)).toContain("branches");
    expect(before.branchFailure).toMatchObject({
      source: "reply statistics",
      estimate: true,
      formula: ESTIMATE_FORMULA,
    });
    expect(fiveMinutes(before).total.relayed).toBe(0);

    const answer = await startSippCallee(lab, answering, "udp", "answer", 120_000, CALLS - FAILING - BUSY);
    const reject = await startSippCallee(
      lab,
      failing,
      "udp",
      { status: 503, reason: "Service Unavailable" },
      120_000,
      FAILING,
    );
    const reject486 = await startSippCallee(
      lab,
      busy,
      "udp",
      { status: 486, reason: "Busy Here" },
      120_000,
      BUSY,
    );
    callees.push(answer, reject, reject486);
    for (const user of callerUsers.slice(0, CALLERS)) {
      callers.push(
        await SipWsUa.connect({
          url: lab.sip.wss,
          origin: lab.origins[0] ?? "",
          domain: lab.domain,
          username: user.username,
          password: user.password,
          contactTransport: "wss",
        }),
      );
    }

    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      callers.map(async (ua) => {
        for (let i = next++; i < CALLS; i = next++) {
          const to = i % 10 === 9 ? failing : i % 10 === 8 ? busy : answering;
          const { response, call } = await ua.call(to.username);
          statuses.push(response.status);
          if (call) expect((await call.hangUp()).status).toBe(200);
        }
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(CALLS - FAILING - BUSY);
    expect(statuses.filter((s) => s === 486)).toHaveLength(BUSY);
    expect(statuses.filter((s) => s === 500)).toHaveLength(FAILING); // a proxy turns the callee's 503 into 500

    const after = await nextCycles("lab", 2);
    expect(after.branchFailure).toMatchObject({ source: "reply statistics", estimate: true });
    const window = fiveMinutes(after);
    expect(window.total).toEqual({
      relayed: CALLS,
      failed: FAILING,
      rate: FAILING / CALLS,
      verdict: "judged",
    });
    expect(window.directions).toEqual([
      { direction: "all", relayed: CALLS, failed: FAILING, rate: FAILING / CALLS, verdict: "judged" },
    ]);
    expect(window.worst).toEqual({ direction: "all", rate: 0.1 });
    expect(polled.pollErrors).toEqual([]);
  });
});
