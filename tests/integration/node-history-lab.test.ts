import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { getNodeHistory } from "@/lib/metrics/queries/getNodeHistory";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { type LabConfig, labUp } from "../../scripts/lab/lab";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The real poller against the lab writes what the node page charts: one HandshakeAttempt row per attempt, the
// cycle's RTPEngine sessions and answered calls in its Sample row, and sockets vs registrations only in the cycles
// that joined a new ul.dump.

let lab: LabConfig;
let polled: PolledNodes;

beforeAll(async () => {
  lab = (await labUp()).config;
  polled = await startPollingNodes("node_history_lab", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }], {
    handshakeIntervalMs: 1000,
    heavyIntervalMs: 3000, // ul.dump every third cycle: cycles with and without a new join
  });
});

afterAll(async () => {
  await polled?.stop();
});

describe("what the poller stores for the node page (lab)", () => {
  it("writes every handshake attempt once, and the cycle's health numbers in its sample", async () => {
    const snapshots: NodeSnapshot[] = [];
    for (let i = 0; i < 8; i++) snapshots.push(await nextCycles("lab", 1));
    await nextCycles("lab", 1); // the last collected snapshot's sample and attempt are written by now
    const db = await getDb();
    const node = await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } });
    const last = snapshots.at(-1);
    const hour = last?.handshake?.windows.find((w) => w.window === "1h");
    const attempts = await db.handshakeAttempt.findMany({
      where: { nodeId: node.id, at: { lte: new Date(last?.handshake?.last.at ?? 0) } },
      orderBy: { at: "asc" },
    });
    // one row per attempt: as many as the live 1 h window counted, none twice
    expect(hour?.attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toHaveLength(hour?.attempts ?? -1);
    expect(new Set(attempts.map((a) => a.at.getTime())).size).toBe(attempts.length);
    expect(attempts.at(-1)).toMatchObject({
      outcome: "ok",
      httpStatus: 101,
      sipStatus: 200,
      url: lab.sip.wss,
    });

    let previousJoin: string | null = snapshots[0]?.socketsVsRegistrations?.measuredAt ?? null;
    let joins = 0;
    for (const snapshot of snapshots.slice(1)) {
      const sample = await db.sample.findFirstOrThrow({
        where: { nodeId: node.id, at: new Date(snapshot.polledAt) },
      });
      expect(sample.up).toBe(true);
      expect(sample.rtpengineSessions, snapshot.polledAt).toBe(snapshot.sessionsVsCalls?.sessions ?? null);
      expect(sample.callsAnswered, snapshot.polledAt).toBe(snapshot.sessionsVsCalls?.calls ?? null);
      const join = snapshot.socketsVsRegistrations;
      const newJoin = join !== null && join.measuredAt !== previousJoin;
      expect(sample.socketsWithoutRegistration, snapshot.polledAt).toBe(
        newJoin ? join.withoutRegistration : null,
      );
      expect(sample.registrationsWithoutSocket, snapshot.polledAt).toBe(
        newJoin ? join.registrationsWithoutConnection : null,
      );
      if (newJoin) joins += 1;
      previousJoin = join?.measuredAt ?? previousJoin;
    }
    // the lab answers NG statistics: sessions and calls are measured, not left null
    expect(snapshots.some((s) => s.sessionsVsCalls !== null)).toBe(true);
    expect(joins).toBeGreaterThanOrEqual(1);
  });

  it("charts the last hour from those rows: up, latency under 500 ms", async () => {
    const history = await getNodeHistory(await getDb(), "lab", "1h");
    expect(history?.resolution).toBe("raw");
    const polledBuckets = history?.points.filter((p) => p.up !== null) ?? [];
    expect(polledBuckets.length).toBeGreaterThanOrEqual(1);
    for (const p of polledBuckets) expect(p.up).toBe(true);
    const withHandshake = polledBuckets.filter((p) => p.handshake !== null);
    expect(withHandshake.length).toBeGreaterThanOrEqual(1);
    for (const p of withHandshake) {
      expect(p.handshake?.failures).toBe(0);
      expect(p.handshake?.p95Ms).toBeLessThan(500);
    }
  });
});
