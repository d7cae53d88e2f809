import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "@/lib/actions/perform-action";
import { operatorActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { createKamailioClient, type KamailioClient } from "@/lib/kamailio/client";
import { getEvents } from "@/lib/metrics/queries/getEvents";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, type LabOptions, labUp, startKamailio, stopKamailio } from "../../scripts/lab/lab";
import { gatewaySuiteUsers } from "../support/lab";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// rtpengine_disabled / rtpengine_enabled from a real poller on the lab: an operator disables the lab's RTPEngine
// through the audited action (rtpengine.enable <url> 0 on Kamailio) and enables it again; then disables it and
// restarts Kamailio, which forgets it (the media server comes back up with no event: none across a restart).
// Stops and starts the lab's Kamailio by its recorded PID; leaves the media server enabled.

const NODE = "lab";
const labOptions: LabOptions = {
  stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR,
  dbUrl: process.env.KAMDASH_TEST_LAB_DB_URL,
  users: gatewaySuiteUsers,
};
let lab: LabConfig;
let polled: PolledNodes;
let rpc: KamailioClient;
let url: string;

const actor = operatorActor({
  operatorId: 1,
  username: "operator-user",
  role: "operator",
  sessionId: "s",
  csrfToken: "c",
});
const engine = (s: NodeSnapshot) => s.rtpengines?.find((e) => e.url === url);

/** The node's snapshot once `what` holds (counted in poll cycles, not wall time), then two more cycles. */
async function settled(what: (s: NodeSnapshot) => boolean, description: string): Promise<NodeSnapshot> {
  let last: NodeSnapshot | undefined;
  for (let i = 0; i < 15; i++) {
    last = await nextCycles(NODE, 1);
    if (what(last)) return nextCycles(NODE, 2); // room for a second (wrong) event
  }
  throw new Error(`${description}: not within 15 poll cycles; last: ${JSON.stringify(last?.rtpengines)}`);
}

async function setEnabled(enabled: boolean): Promise<void> {
  const db = await getDb();
  const clientFor = (row: { rpcUrl: string }) => createKamailioClient({ url: row.rpcUrl, timeoutMs: 3_000 });
  const outcome = await performAction({ db, clientFor }, actor, {
    action: "rtpengine.enable",
    node: NODE,
    url,
    enabled,
  });
  expect(outcome).toMatchObject({ ok: true, message: enabled ? "enabled" : "disabled" });
}

async function eventKinds(prefix: string): Promise<string[]> {
  const rows = await (await getDb()).event.findMany({
    where: { kind: { startsWith: prefix } },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.kind);
}

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  url = `udp:${lab.rtpengine.ng}`;
  rpc = createKamailioClient({ url: lab.rpc, timeoutMs: 3_000 });
  await rpc.rtpengineEnable(url, true); // a test that died half-way must not leave it disabled for this one
  polled = await startPollingNodes("rtpengine_events", [{ name: NODE, rpcUrl: lab.rpc, source: "lab" }]);
});

afterAll(async () => {
  await startKamailio(labOptions).catch(() => undefined); // a no-op when it runs
  await rpc?.rtpengineEnable(url, true).catch(() => undefined);
  await polled?.stop();
});

describe("RTPEngine instance events on the lab", () => {
  it("disable then enable: exactly one rtpengine_disabled and one rtpengine_enabled, with URL and label", async () => {
    const first = await settled((s) => engine(s)?.state === "up", "the lab's RTPEngine up");
    expect(engine(first)?.label).toBe("up");
    expect(await eventKinds("rtpengine_")).toEqual([]); // the first reading writes nothing

    await setEnabled(false);
    const off = await settled((s) => engine(s)?.state === "disabled", "the disabled RTPEngine");
    expect(engine(off)?.label).toBe("disabled (permanent)");
    await setEnabled(true);
    await settled((s) => engine(s)?.state === "up", "the enabled RTPEngine");

    const db = await getDb();
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const events = await getEvents(db, { node: NODE, since, limit: 100 });
    const ours = events.filter((e) => e.kind.startsWith("rtpengine_")).reverse(); // oldest first
    expect(ours.map((e) => e.kind)).toEqual(["rtpengine_disabled", "rtpengine_enabled"]);
    expect(ours[0]).toMatchObject({
      node: NODE,
      severity: "warning",
      detail: { url, state: "disabled", label: "disabled (permanent)", previousState: "up" },
    });
    expect(ours[0]?.message).toContain(url);
    expect(ours[0]?.message).toContain("disabled (permanent)");
    expect(ours[1]).toMatchObject({
      severity: "info",
      detail: { url, state: "up", label: "up", previousState: "disabled" },
    });
    // the /events kind filter finds it
    const filtered = await getEvents(db, { node: NODE, kind: "rtpengine_enabled", since, limit: 100 });
    expect(filtered.map((e) => e.id)).toEqual([ours[1]?.id]);
    // the two actions were audited
    const audit = await db.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((r) => r.action)).toEqual(["rtpengine.disable", "rtpengine.enable"]);
    expect(polled.pollErrors).toEqual([]);
  });

  it("a Kamailio restart forgets a disabled RTPEngine: one restart, no rtpengine_enabled for it", async () => {
    await setEnabled(false);
    await settled((s) => engine(s)?.state === "disabled", "the disabled RTPEngine");
    expect(await eventKinds("rtpengine_")).toEqual([
      "rtpengine_disabled",
      "rtpengine_enabled",
      "rtpengine_disabled",
    ]);

    await stopKamailio(labOptions);
    await settled((s) => !s.up, "the node down");
    await startKamailio(labOptions);
    const back = await settled((s) => s.up && engine(s)?.state === "up", "the restarted node's RTPEngine up");
    expect(back.kamailio?.restartedAt).not.toBeNull();

    expect(await eventKinds("node_")).toEqual(["node_down", "node_up", "node_restarted"]);
    expect(await eventKinds("rtpengine_")).toEqual([
      "rtpengine_disabled",
      "rtpengine_enabled",
      "rtpengine_disabled",
    ]);
  });
});
