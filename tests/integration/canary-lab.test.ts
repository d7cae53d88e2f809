import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CanaryTarget, labCanaryTarget } from "@/lib/canary/config";
import { runCanary } from "@/lib/canary/run";
import { CanaryStateSchema } from "@/lib/canary/schema";
import { getDb } from "@/lib/db";
import { getCanaryRuns } from "@/lib/metrics/queries/getCanaryRuns";
import { getNodeSnapshot } from "@/lib/poller/live";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { kamailioRpc, registeredContacts, removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers, LabUsers } from "../support/lab";
import { type SippCallee, startSippCallee } from "../support/sipp-phones";
import { waitFor } from "../support/wait";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The synthetic canary against the real lab: lab.json's two probe users register over WSS, call each other through
// Kamailio and RTPEngine, the SDP each side got is judged against gateway/routes-media.cfg, the call is hung up and
// both unregister. Failures read as the gateway answers them (401 for a wrong password, 404 for an AOR with no
// contact), and no WebSocket or registration outlives a run. Lab user #61 is this file's SIPp UDP callee.

const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let target: CanaryTarget;
let users: LabUsers;

const calleeName = () => (target.callee.kind === "user" ? target.callee.username : "");
const probeNames = () => [target.caller.username, calleeName()];

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  const found = labCanaryTarget(10_000);
  if (!found) throw new Error("lab.json has no canary users: scripts/lab did not provision them");
  target = found;
  users = new LabUsers(lab, { first: 61, count: 1 });
  for (const name of probeNames()) await removeRegistrations(lab.rpc, name).catch(() => undefined);
});

describe("canary run on the lab", () => {
  it("registers, calls the second probe user, finds the SDP converted as the gateway says, hangs up", async () => {
    const run = await runCanary(target);
    expect(run, run.reason ?? "").toMatchObject({
      outcome: "ok",
      reason: null,
      sipStatus: 200,
      target: `sip:${calleeName()}@${lab.domain}`,
    });
    for (const phase of ["registerMs", "setupMs", "byeMs"] as const) {
      expect(run[phase], phase).toBeTypeOf("number");
      expect(run[phase], phase).toBeGreaterThan(0);
    }
    expect(run.sdpChecks?.direction).toBe("wss_wss");
    const checks = run.sdpChecks?.checks ?? [];
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(new Set(checks.map((c) => c.leg))).toEqual(new Set(["offer_to_callee", "answer_to_caller"]));
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(["profile", "ice", "fingerprint", "rtcp_mux"]),
    );
  });

  it("reads register_failed with the gateway's 401 when the caller's password is wrong", async () => {
    const run = await runCanary({ ...target, caller: { ...target.caller, password: "not-the-password" } });
    expect(run.outcome).toBe("register_failed");
    expect([401, 403]).toContain(run.sipStatus);
    expect(run.reason).toMatch(/^REGISTER 40[13] /);
    expect(run).toMatchObject({ registerMs: null, setupMs: null, byeMs: null, sdpChecks: null });
  });

  it("reads connect_failed with the gateway's HTTP 403 for an Origin it does not allow", async () => {
    const run = await runCanary({ ...target, origin: "https://not-allowed.example" });
    expect(run.outcome).toBe("connect_failed");
    expect(run.reason).toMatch(/^WebSocket: HTTP 403/);
    expect(run.registerMs).toBeNull();
  });

  it("reads call_failed with 404/480 when the callee has no registration", async () => {
    const callee = calleeName();
    await removeRegistrations(lab.rpc, callee).catch(() => undefined);
    const run = await runCanary({ ...target, callee: { kind: "uri", uri: `sip:${callee}@${lab.domain}` } });
    expect(run.outcome).toBe("call_failed");
    expect([404, 480]).toContain(run.sipStatus);
    expect(run.reason).toMatch(/^INVITE (404|480) /);
    expect(run.registerMs).toBeTypeOf("number");
    expect(run.setupMs).toBeNull();
  });

  it("calls a plain UDP phone (wss→udp): the answer comes back as WebRTC", async () => {
    const user = users.take();
    await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
    let echo: SippCallee | null = null;
    try {
      echo = await startSippCallee(lab, user, "udp", "answer", 30_000);
      const run = await runCanary({
        ...target,
        callee: { kind: "uri", uri: `sip:${user.username}@${lab.domain}` },
      });
      expect(run.outcome, run.reason ?? "").toBe("ok");
      expect(run.sdpChecks?.direction).toBe("wss_udp");
      const checks = run.sdpChecks?.checks ?? [];
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.every((c) => c.leg === "answer_to_caller")).toBe(true);
      expect(checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      await echo?.stop();
      await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
    }
  });

  it("leaves no WebSocket connection and no registration behind", async () => {
    const wssPort = Number(new URL(lab.sip.wss).port);
    const wsConnections = async () => {
      const list = (await kamailioRpc(lab.rpc, "core.tcp_list")) as { type: string; dst_port: number }[];
      return list.filter((c) => /^WSS?$/.test(c.type) && c.dst_port === wssPort);
    };
    await waitFor(async () => (await wsConnections()).length === 0, {
      timeoutMs: 5_000,
      description: "no WSS connection left in core.tcp_list",
    });
    for (const name of probeNames()) expect(await registeredContacts(lab.rpc, name), name).toEqual([]);
  });
});

describe("canary on the poller's schedule", () => {
  let polled: PolledNodes;

  afterAll(async () => {
    await polled?.stop();
  });

  it("stores each run as a CanaryRun row, shows the last one in the snapshot, writes an event on failure only, skips a down node", async () => {
    const wrong: CanaryTarget = { ...target, caller: { ...target.caller, password: "not-the-password" } };
    polled = await startPollingNodes(
      "canary",
      [
        { name: "lab", rpcUrl: lab.rpc, source: "lab" },
        { name: "lab-wrong-password", rpcUrl: lab.rpc, source: "cli" },
        // nothing answers RPC there: the node is down, so its canary is not attempted
        { name: "lab-down", rpcUrl: "http://127.0.0.1:1/RPC", source: "cli" },
      ],
      {
        canary: {
          enabled: true,
          intervalMs: 3_000,
          timeoutMs: 10_000,
          targets: new Map([
            ["lab-wrong-password", wrong],
            ["lab-down", target],
          ]),
        },
      },
    );
    const withCanary = async (node: string) => {
      for (let i = 0; i < 30; i++) {
        const snapshot = await nextCycles(node, 1);
        if (snapshot.canary) return snapshot;
      }
      throw new Error(`${node}: no canary run in 30 poll cycles`);
    };
    const good = await withCanary("lab");
    const state = CanaryStateSchema.parse(good.canary);
    expect(state).toMatchObject({ state: "ok", consecutiveFailures: 0, last: { outcome: "ok" } });
    expect(JSON.stringify(good)).not.toContain(target.caller.password);

    const bad = await withCanary("lab-wrong-password");
    expect(bad.canary).toMatchObject({ state: "failing", last: { outcome: "register_failed" } });
    expect(JSON.stringify(bad)).not.toContain("not-the-password");

    const db = await getDb();
    const nodes = await db.kamailioNode.findMany({ select: { id: true, name: true } });
    const id = (name: string) => nodes.find((n) => n.name === name)?.id ?? -1;
    // a second run on "lab" starts a full interval after the first, so by then every job has had its first turn
    const second = await waitFor(
      async () => {
        const runs = await getCanaryRuns(db, { nodeId: id("lab"), limit: 2 });
        return runs.length === 2 && runs;
      },
      { timeoutMs: 30_000, description: "two canary runs on lab" },
    );
    expect(second.map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(await db.canaryRun.count({ where: { nodeId: id("lab-down") } })).toBe(0);
    expect(getNodeSnapshot("lab-down")).toMatchObject({ up: false, canary: null });

    const [stored] = await getCanaryRuns(db, { nodeId: id("lab"), limit: 1 });
    expect(stored).toMatchObject({ outcome: "ok", sipStatus: 200 });
    expect(stored?.setupMs).toBeTypeOf("number");
    expect(stored?.sdpChecks?.checks.every((c) => c.ok)).toBe(true);

    const events = await db.event.findMany({
      where: { kind: { startsWith: "canary_" } },
      select: { kind: true, nodeId: true },
    });
    expect(events).toEqual([{ kind: "canary_failing", nodeId: id("lab-wrong-password") }]);
    expect(getNodeSnapshot("lab")?.canary?.last.registerMs).toBeTypeOf("number");
    expect(polled.pollErrors).toEqual([]);
  });
});
