import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { kamailioSays } from "../support/kamailio-truth";
import { gatewaySuiteUsers } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// usrloc in DB-only mode (db_mode 3) on the real lab: ul.dump is empty and the usrloc statistics read 0 however many
// phones are registered, and on PostgreSQL ul.db_contacts cannot count them (its SQL is MySQL's). kamdash must show
// registrations "unavailable (usrloc keeps contacts in the database)", never 0.
// It RESTARTS KAMAILIO twice (into db_mode 3 and back): run it only through the suite runner.
// Lab users 34..39: the integration tests' slice (tests/support/gateway-fixture.ts).

const CLIENTS = 6;
const base: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let polled: PolledNodes;
const clients: SipWsUa[] = [];

beforeAll(async () => {
  lab = (await labUp({ ...base, usrlocDbOnly: true })).config;
  polled = await startPollingNodes("usrloc_db_only", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }]);
});

afterAll(async () => {
  await Promise.allSettled(clients.splice(0).map((ua) => ua.close()));
  await polled?.stop();
  await labUp(base); // back to usrloc in memory (db_mode 0) for the other suites
});

describe("usrloc in DB-only mode", () => {
  it(`with ${CLIENTS} WS/WSS clients registered, registrations read unavailable with the reason, never 0`, async () => {
    for (const [i, user] of lab.users.slice(34, 34 + CLIENTS).entries()) {
      const secure = i % 2 === 1;
      const ua = await SipWsUa.connect({
        url: secure ? lab.sip.wss : lab.sip.ws,
        origin: lab.origins[0] ?? "",
        domain: lab.domain,
        username: user.username,
        password: user.password,
        contactTransport: secure ? "wss" : "ws",
      });
      clients.push(ua);
      expect((await ua.register(600)).final.status).toBe(200);
    }
    const db = await getDb();
    const rows = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM sample`;
    const firstRow = Number(rows[0]?.n ?? 0);
    // Kamailio's own count read before and after a cycle, kept only when both agree: the handshake probe's WSS
    // connection comes and goes every 10 s, and a read that catches it is not what the cycle saw
    let truth = await kamailioSays(lab.rpc);
    let snapshot = await nextCycles("lab", 2);
    for (let i = 0; i < 5; i++) {
      const after = await kamailioSays(lab.rpc);
      if (after.ws === truth.ws && after.wss === truth.wss) break;
      truth = after;
      snapshot = await nextCycles("lab", 1);
    }
    expect(truth.registrations).toBe(0); // what ul.dump says in this mode: the trap itself
    expect(snapshot.up).toBe(true);
    expect(snapshot.ws).toBe(truth.ws);
    expect(snapshot.wss).toBe(truth.wss);
    expect(Number(snapshot.ws) + Number(snapshot.wss)).toBeGreaterThanOrEqual(CLIENTS);
    expect(snapshot).toMatchObject({ registrations: null, aors: null });
    expect(snapshot.readings?.registrations.state).toBe("unavailable");
    expect(snapshot.readings?.registrations.reason).toContain("usrloc keeps contacts in the database");
    expect(snapshot.readings?.registrations.reason).toContain("Failed to query contact count");
    expect(snapshot.stats?.["kamdash.registrations_ws"]).toBeUndefined();

    const stored = await db.sample.findMany({ orderBy: { at: "asc" }, skip: firstRow });
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((s) => s.registrations)).toEqual(stored.map(() => null));
    expect(polled.pollErrors).toEqual([]);
  });
});
