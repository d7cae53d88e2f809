import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, type LabOptions, labUp, stopRtpengineOnly } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { expectSnapshotEqualsKamailio } from "../support/kamailio-truth";
import { gatewaySuiteUsers } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { waitFor } from "../support/wait";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// One probe failing on the real lab leaves the node up and the other numbers flowing, shows the probe failing with
// its reason, and recovers within two intervals of the cause going away (back-off capped at two intervals here).
// It STOPS RTPENGINE for a few seconds: run it only through the suite runner (integration files run one at a time).
// Lab users 34..41: the integration tests' slice (tests/support/gateway-fixture.ts).

const INTERVAL_MS = 1000;
const USERS = { first: 34, count: 8 };
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };

let lab: LabConfig;
let polled: PolledNodes;
let budget: number;
const clients: SipWsUa[] = [];
const users = () => lab.users.slice(USERS.first, USERS.first + USERS.count);

/** The size in bytes of ul.dump's reply as Kamailio sends it now. */
async function ulDumpBytes(): Promise<number> {
  const response = await fetch(lab.rpc, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "ul.dump", params: [], id: 1 }),
  });
  return (await response.arrayBuffer()).byteLength;
}

const probe = (s: NodeSnapshot, name: string) => s.probes.find((p) => p.probe === name);

/** The probe events stored so far as "kind:probe" (events are written after the snapshot is published: wait). */
async function probeEvents(expected: number): Promise<string[]> {
  const db = await getDb();
  const read = async () =>
    (await db.event.findMany({ where: { kind: { startsWith: "probe_" } }, orderBy: { id: "asc" } })).map(
      (e) => `${e.kind}:${(e.detail as { probe?: string } | null)?.probe}`,
    );
  await waitFor(async () => (await read()).length >= expected, {
    timeoutMs: 5000,
    description: `${expected} probe events`,
  });
  return read();
}

/** Polls until `done` holds, at most `cycles` cycles; returns the snapshot that met it (or throws). */
async function withinCycles(
  cycles: number,
  done: (s: NodeSnapshot) => boolean,
  what: string,
): Promise<NodeSnapshot> {
  for (let i = 0; i < cycles; i++) {
    const snapshot = await nextCycles("lab", 1);
    if (done(snapshot)) return snapshot;
  }
  throw new Error(`${what}: not within ${cycles} poll cycles`);
}

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  for (const user of users()) await removeRegistrations(lab.rpc, user.username);
  // room for what is registered now plus a few contacts, not for eight more
  budget = (await ulDumpBytes()) + 1500;
  polled = await startPollingNodes("probe_faults", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }], {
    intervalMs: INTERVAL_MS,
    heavyIntervalMs: INTERVAL_MS,
    heavyMaxReplyBytes: budget,
    probeBackoffMaxMs: 2 * INTERVAL_MS,
  });
  await nextCycles("lab", 2);
});

afterAll(async () => {
  await labUp(labOptions).catch(() => undefined); // never leave the lab without RTPEngine
  await Promise.allSettled(clients.splice(0).map((ua) => ua.close()));
  for (const user of users()) await removeRegistrations(lab.rpc, user.username).catch(() => undefined);
  await polled?.stop();
});

describe("one probe failing on the lab", () => {
  it("RTPEngine stopped: node up, numbers flowing, rtpengine-ng failing with the engine named; then it recovers", async () => {
    const before = await nextCycles("lab", 1);
    expect(before.rtpengineUp).toBe(1);
    await stopRtpengineOnly(labOptions);

    const failing = await withinCycles(
      4,
      (s) => probe(s, "rtpengine-ng")?.state !== "ok",
      "rtpengine-ng failing",
    );
    expect(failing.up).toBe(true);
    expect(probe(failing, "rtpengine-ng")?.reason).toContain("udp:127.0.0.1:22222");
    // Kamailio still lists the engine as usable (it only notices on a call); the NG ping does not answer
    expect(failing).toMatchObject({ rtpengineTotal: 1, rtpengineUp: 0 });
    expect(failing.rtpengines?.[0]).toMatchObject({ state: "up", ngAnswered: false, up: false });
    await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles("lab", 2));

    await labUp(labOptions); // starts RTPEngine again and waits until it answers NG
    const recovered = await withinCycles(2 + 1, (s) => probe(s, "rtpengine-ng")?.state === "ok", "recovery");
    expect(recovered).toMatchObject({ up: true, rtpengineUp: 1 });

    expect(await probeEvents(2)).toEqual(["probe_failing:rtpengine-ng", "probe_recovered:rtpengine-ng"]);
    expect(await (await getDb()).event.count({ where: { kind: "node_down" } })).toBe(0);
  });

  it("ul.dump over the reply budget: contacts failing with the budget as reason, counts exact, then recovery", async () => {
    for (const [i, user] of users().entries()) {
      const ua = await SipWsUa.connect({
        url: i % 2 === 0 ? lab.sip.ws : lab.sip.wss,
        origin: lab.origins[0] ?? "",
        domain: lab.domain,
        username: user.username,
        password: user.password,
        contactTransport: i % 2 === 0 ? "ws" : "wss",
      });
      clients.push(ua);
      expect((await ua.register(600)).final.status).toBe(200);
    }
    expect(await ulDumpBytes()).toBeGreaterThan(budget);

    const failing = await withinCycles(4, (s) => probe(s, "contacts")?.state !== "ok", "contacts failing");
    expect(failing.up).toBe(true);
    expect(probe(failing, "contacts")?.reason).toContain(
      `reply larger than the ${budget}-byte limit (heavy reply budget)`,
    );
    // registrations still counted every cycle (usrloc statistics), exactly what Kamailio holds
    const { snapshot } = await expectSnapshotEqualsKamailio(lab.rpc, () => nextCycles("lab", 2));
    expect(snapshot.readings?.registrations).toMatchObject({ state: "ok", source: "stats.fetch usrloc" });

    for (const ua of clients) expect((await ua.unregister()).final.status).toBe(200);
    await Promise.all(clients.splice(0).map((ua) => ua.close()));
    expect(await ulDumpBytes()).toBeLessThanOrEqual(budget);
    const recovered = await withinCycles(2 + 1, (s) => probe(s, "contacts")?.state === "ok", "recovery");
    expect(recovered.up).toBe(true);
    expect((await probeEvents(4)).slice(2)).toEqual(["probe_failing:contacts", "probe_recovered:contacts"]);
    expect(polled.pollErrors).toEqual([]);
  });
});
