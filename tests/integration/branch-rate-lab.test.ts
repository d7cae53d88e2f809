import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BranchWindow } from "@/lib/poller/branch-windows";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, type LabOptions, labUp, startKamailio, stopKamailio } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { type SippCallee, startSippCallee } from "../support/sipp-phones";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The branch-failure rate kamdash shows, against the real lab: 200 WSS → UDP calls, a known number of which fail
// (the callee's side answers 503), read back exactly; then a Kamailio restart gives no negative rate and no spike.
// It RESTARTS KAMAILIO: run it only through the suite runner. Lab users 42..47 (the integration slice).

const CALLS = 200;
const FAILING = 10; // every 20th call goes to the callee answering 503: 10 / 200 = 5 %
const CALLERS = 4;
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };

let lab: LabConfig;
let polled: PolledNodes;
const callees: SippCallee[] = [];
const callers: SipWsUa[] = [];
const users = () => lab.users.slice(42, 48);

const fiveMinutes = (s: NodeSnapshot): BranchWindow => {
  const window = s.branchFailure?.windows.find((w) => w.window === "5m");
  if (!window) throw new Error("no 5-minute branch-failure window in the snapshot");
  return window;
};

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  for (const user of users()) await removeRegistrations(lab.rpc, user.username);
  polled = await startPollingNodes("branch_rate", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }]);
  await nextCycles("lab", 2);
});

afterAll(async () => {
  await startKamailio(labOptions).catch(() => undefined);
  await Promise.allSettled(callers.splice(0).map((ua) => ua.close()));
  await Promise.allSettled(callees.splice(0).map((c) => c.stop()));
  for (const user of users()) await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
  await polled?.stop();
});

describe("branch-failure rate on the lab", () => {
  it(`${CALLS} WSS → UDP calls, ${FAILING} failing with 503: the rate is exactly ${FAILING}/${CALLS}`, async () => {
    const [answering, failing, ...callerUsers] = users();
    if (!answering || !failing) throw new Error("not enough lab users");
    const answer = await startSippCallee(lab, answering, "udp", "answer", 120_000, CALLS - FAILING);
    const reject = await startSippCallee(
      lab,
      failing,
      "udp",
      { status: 503, reason: "Service Unavailable" },
      120_000,
      FAILING,
    );
    callees.push(answer, reject);
    for (const user of callerUsers.slice(0, CALLERS)) {
      const ua = await SipWsUa.connect({
        url: lab.sip.wss,
        origin: lab.origins[0] ?? "",
        domain: lab.domain,
        username: user.username,
        password: user.password,
        contactTransport: "wss",
      });
      callers.push(ua);
    }
    const before = fiveMinutes(await nextCycles("lab", 1));
    expect(before.total.relayed).toBe(0);

    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      callers.map(async (ua) => {
        for (let i = next++; i < CALLS; i = next++) {
          const toFailing = i % (CALLS / FAILING) === CALLS / FAILING - 1;
          const { response, call } = await ua.call(toFailing ? failing.username : answering.username);
          statuses.push(response.status);
          if (call) expect((await call.hangUp()).status).toBe(200);
        }
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(CALLS - FAILING);
    expect(statuses.filter((s) => s === 500)).toHaveLength(FAILING); // a proxy turns the callee's 503 into 500

    const after = fiveMinutes(await nextCycles("lab", 2));
    expect(after.directions).toEqual([
      { direction: "wss_udp", relayed: CALLS, failed: FAILING, rate: FAILING / CALLS, verdict: "judged" },
    ]);
    expect(after.total).toEqual({
      relayed: CALLS,
      failed: FAILING,
      rate: FAILING / CALLS,
      verdict: "judged",
    });
    expect(after.worst).toEqual({ direction: "wss_udp", rate: 0.05 });
    expect(polled.pollErrors).toEqual([]);
  });

  it("a Kamailio restart: counters start from 0, yet no rate goes negative or jumps", async () => {
    const before = fiveMinutes(await nextCycles("lab", 1));
    await stopKamailio(labOptions);
    await nextCycles("lab", 2);
    await startKamailio(labOptions);
    const seen: BranchWindow[] = [];
    for (let i = 0; i < 4; i++) {
      const snapshot = await nextCycles("lab", 1);
      if (snapshot.up) seen.push(fiveMinutes(snapshot));
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const window of seen) {
      // the window still holds exactly the run's branches: nothing subtracted, nothing added by the reset
      expect(window.total).toEqual(before.total);
      for (const d of window.directions) expect(d.rate === null || (d.rate >= 0 && d.rate <= 1)).toBe(true);
    }
  });
});
