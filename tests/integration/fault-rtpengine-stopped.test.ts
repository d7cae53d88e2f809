import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getNodeMedia } from "@/lib/media/media-watch";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { fleetDialogRows } from "@/lib/troubleshoot/fleet-rows";
import { type LabConfig, type LabOptions, labUp, stopRtpengineOnly } from "../../scripts/lab/lab";
import { endDialog, removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import { type SippCallee, type SippCaller, startSippCallee, startSippCaller } from "../support/sipp-phones";
import { waitFor } from "../support/wait";
import { type PolledNodes, startPollingNodes, withinCycles } from "./poller-harness";

// Fault: RTPEngine stopped (the PID the lab records) while a UDP→UDP call runs through the lab. Beyond
// probe-faults-lab.test.ts (probe state and events): the node stays up with its call counted, the media server's
// sessions and stats are unknown (null with the reason), never 0; sessions vs calls is null; the call's media view
// says why it is unknown instead of showing its last reading as current. When RTPEngine is back (a new process
// that lost the call), the sessions are read again and the call's media is unknown with RTPEngine's reason.
// It STOPS RTPENGINE: run it only under `flock /tmp/kamdash-lab.lock`. Lab users 88..89 (gateway-fixture.ts).

const NODE = "lab";
const NO_NG = "no RTPEngine answered NG this cycle";
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let polled: PolledNodes;
let callee: SippCallee | undefined;
let caller: SippCaller | undefined;

const ngProbe = (s: NodeSnapshot) => s.probes.find((p) => p.probe === "rtpengine-ng");
const engine = (s: NodeSnapshot) => s.rtpengines?.find((e) => e.url === `udp:${lab.rtpengine.ng}`);
const callRow = () => fleetDialogRows(Math.floor(Date.now() / 1000)).find((r) => r.callId === caller?.callId);

const within = (cycles: number, done: (s: NodeSnapshot) => boolean, what: string) =>
  withinCycles(NODE, cycles, done, what);

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  for (const user of lab.users.slice(88, 90)) await removeRegistrations(lab.rpc, user.username);
  polled = await startPollingNodes("fault_rtpengine", [{ name: NODE, rpcUrl: lab.rpc, source: "lab" }], {
    heavyIntervalMs: 1000,
    probeBackoffMaxMs: 2000,
    media: { maxCalls: 50, oneWayAfterS: 3 },
  });
});

afterAll(async () => {
  await labUp(labOptions).catch(() => undefined); // never leave the lab without RTPEngine
  if (caller) await endDialog(lab.rpc, caller.callId).catch(() => undefined);
  await caller?.stop();
  await callee?.stop();
  for (const user of lab.users.slice(88, 90))
    await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
  await polled?.stop();
});

describe("fault: RTPEngine stopped", () => {
  it("node up, rtpengine-ng failing, sessions unknown not 0, the call's media says why; then recovery", async () => {
    const [calleeUser, callerUser] = lab.users.slice(88, 90);
    if (!calleeUser || !callerUser) throw new Error("not enough lab users");
    callee = await startSippCallee(lab, calleeUser, "udp", "answer", 90_000);
    caller = await startSippCaller(lab, callerUser, calleeUser.username, "udp", 60_000);
    await waitFor(() => (callRow()?.media?.engine ? true : undefined), {
      description: "the call's media read from RTPEngine",
      timeoutMs: 20_000,
    });
    const before = await within(4, (s) => ngProbe(s)?.state === "ok" && engine(s)?.stats != null, "NG ok");
    expect(before.sessionsVsCalls?.sessions).toBeGreaterThanOrEqual(1);

    await stopRtpengineOnly(labOptions);
    const failing = await within(4, (s) => ngProbe(s)?.state !== "ok", "rtpengine-ng failing");
    expect(failing.up).toBe(true);
    expect(failing.error).toBeNull();
    expect(ngProbe(failing)?.reason).toContain(`udp:${lab.rtpengine.ng}`);
    expect(failing.dialogsActive).toBeGreaterThanOrEqual(1); // Kamailio's numbers keep flowing
    expect(failing.sessionsVsCalls).toBeNull();
    expect(engine(failing)).toMatchObject({ up: false, ngAnswered: false, stats: null });
    expect(engine(failing)?.statsReason).toBeTruthy();

    // the media view of the running call: unknown, and why (not its last reading passed off as current)
    const row = await waitFor(() => (callRow()?.media?.state === "unknown" ? callRow() : undefined), {
      description: "the call's media unknown",
      timeoutMs: 10_000,
    });
    expect(row?.media?.reason).toBe(NO_NG);
    expect(row?.media?.legs).toEqual([]);
    expect(getNodeMedia(NODE)?.problem).toBe(NO_NG);

    await labUp(labOptions); // starts RTPEngine again and waits until it answers NG
    const back = await within(4, (s) => ngProbe(s)?.state === "ok" && engine(s)?.stats != null, "recovery");
    expect(back).toMatchObject({ up: true, rtpengineUp: 1 });
    expect(engine(back)?.stats?.sessions.total).toBeTypeOf("number");
    expect(back.sessionsVsCalls).not.toBeNull();
    await waitFor(() => (getNodeMedia(NODE)?.problem === null ? true : undefined), {
      description: "media readable again",
      timeoutMs: 10_000,
    });
    // the new RTPEngine process does not hold the call: unknown, with that as the reason
    expect(callRow()?.media).toMatchObject({ state: "unknown", reason: "no RTPEngine holds this call" });
    expect(polled.pollErrors).toEqual([]);
  });
});
