import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labHandshakeTarget } from "@/lib/handshake/targets";
import { probeHandshake } from "@/lib/handshake/ws-handshake";
import { type LabConfig, type LabOptions, labUp, startKamailio, stopKamailio } from "../../scripts/lab/lab";
import { gatewaySuiteUsers } from "../support/lab";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The WebSocket handshake probe against the real lab: TCP, TLS, upgrade with an Origin and a SIP OPTIONS over the
// new socket, every second here; p95 reported and under the seed's 500 ms. An Origin the gateway does not allow
// reads 403, a stopped Kamailio "refused", and neither crashes the poller.
// It STOPS KAMAILIO for a moment: run it only through the suite runner.

const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let polled: PolledNodes;

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  const target = labHandshakeTarget();
  if (!target) throw new Error("no .lab/lab.json: the lab handshake target is missing");
  polled = await startPollingNodes(
    "handshake",
    [
      { name: "lab", rpcUrl: lab.rpc, source: "lab" },
      { name: "lab-foreign-origin", rpcUrl: lab.rpc, source: "cli" },
    ],
    {
      handshakeIntervalMs: 1000,
      handshakeTargets: new Map([
        ["lab-foreign-origin", { ...target, origin: "https://not-allowed.example" }],
      ]),
    },
  );
});

afterAll(async () => {
  await startKamailio(labOptions).catch(() => undefined);
  await polled?.stop();
});

describe("handshake probe on the lab", () => {
  it("measures each phase; p95 is reported and under 500 ms", async () => {
    let snapshot = await nextCycles("lab", 1);
    for (let i = 0; i < 8 && (snapshot.handshake?.windows[0]?.ok ?? 0) < 5; i++)
      snapshot = await nextCycles("lab", 1);
    const minute = snapshot.handshake?.windows.find((w) => w.window === "1m");
    expect(minute?.ok).toBeGreaterThanOrEqual(5);
    expect(minute?.failures).toEqual({});
    expect(minute?.p95Ms).not.toBeNull();
    expect(Number(minute?.p95Ms)).toBeLessThan(500);
    expect(snapshot.handshake?.last).toMatchObject({
      outcome: "ok",
      httpStatus: 101,
      sipStatus: 200,
      url: lab.sip.wss,
    });
    for (const phase of ["tcpMs", "tlsMs", "upgradeMs", "optionsMs"] as const) {
      expect(snapshot.handshake?.last[phase], phase).toBeTypeOf("number");
    }
    expect(snapshot.probes.find((p) => p.probe === "handshake")?.state).toBe("ok");
  });

  it("an Origin the gateway does not allow: attempts fail with 403, the node stays up", async () => {
    let snapshot = await nextCycles("lab-foreign-origin", 1);
    for (let i = 0; i < 5 && !snapshot.handshake; i++) snapshot = await nextCycles("lab-foreign-origin", 1);
    expect(snapshot.up).toBe(true);
    expect(snapshot.handshake?.last).toMatchObject({
      outcome: "http_error",
      httpStatus: 403,
      handshakeMs: null,
    });
    expect(snapshot.handshake?.windows[0]?.failures).toMatchObject({ http_error: expect.any(Number) });
    const probe = snapshot.probes.find((p) => p.probe === "handshake");
    expect(probe?.state === "failing" || probe?.state === "stale").toBe(true);
    expect(probe?.reason).toContain("HTTP 403");
  });

  it("Kamailio stopped: the probe reads 'refused', the node is down, the poller goes on", async () => {
    const target = labHandshakeTarget();
    if (!target) throw new Error("no lab target");
    await stopKamailio(labOptions);
    expect(await probeHandshake({ ...target, timeoutMs: 2000 })).toMatchObject({
      outcome: "refused",
      reason: "connection refused",
      handshakeMs: null,
    });
    expect((await nextCycles("lab", 2)).up).toBe(false);
    await startKamailio(labOptions);
    expect((await nextCycles("lab", 2)).up).toBe(true);
    expect(polled.pollErrors).toEqual([]);
  });
});
