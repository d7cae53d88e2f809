import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as connectionsRoute } from "@/app/api/v1/connections/route";
import { GET as eventsRoute } from "@/app/api/v1/events/route";
import { GET as registrationsRoute } from "@/app/api/v1/registrations/route";
import type { ConnectionPage } from "@/lib/troubleshoot/queries";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import { SipWsUa } from "../support/sip-ws-ua";
import { apiRequest, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// The troubleshooting reads fed by the real poller on the real lab: a user registered over WSS shows on the
// connections and registrations API with its connection id, IP:port and User-Agent, and registering then
// unregistering makes exactly one "added" and one "removed" event. Lab users 62..63.

const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let polled: PolledNodes;
let ua: SipWsUa | undefined;

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  for (const user of lab.users.slice(62, 64)) await removeRegistrations(lab.rpc, user.username);
  polled = await startPollingNodes("troubleshoot", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }], {
    heavyIntervalMs: 1000,
  });
});

afterAll(async () => {
  await ua?.close();
  await polled?.stop();
});

async function read<T>(route: typeof connectionsRoute, path: string): Promise<T> {
  const response = await route(apiRequest(path, polled.headers), { params: Promise.resolve({}) });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function until<T>(get: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 15; i++) {
    await nextCycles("lab", 1);
    const value = await get();
    if (ok(value)) return value;
  }
  throw new Error(`${what}: not within 15 poll cycles`);
}

type EventRow = { kind: string; detail: { aor?: string; connectionId?: number } };

describe("troubleshooting lists from the poller", () => {
  it("a WSS registration: its connection, contact and exactly one added / one removed event", async () => {
    const user = lab.users[62];
    if (!user) throw new Error("lab has too few users");
    await nextCycles("lab", 2); // the first reading of each list makes no event
    ua = await SipWsUa.connect({
      url: lab.sip.wss,
      origin: lab.origins[0] ?? "",
      domain: lab.domain,
      username: user.username,
      password: user.password,
      contactTransport: "wss",
    });
    expect((await ua.register()).final.status).toBe(200);
    const port = ua.connection.localPort;
    const connections = await until(
      () => read<ConnectionPage>(connectionsRoute, `/api/v1/connections?user=${user.username}`),
      (page) => page.total === 1,
      "the connection carrying the user",
    );
    expect(connections.rows[0]).toMatchObject({
      node: "lab",
      transport: "WSS",
      sourceIp: "127.0.0.1",
      sourcePort: port,
      aors: [user.username],
      userAgent: "kamdash-gateway-tests/1 (sip-ws-ua)",
    });
    const registrations = await read<{ rows: { aor: string; connectionId: number; transport: string }[] }>(
      registrationsRoute,
      `/api/v1/registrations?user=${user.username}`,
    );
    expect(registrations.rows).toEqual([
      expect.objectContaining({
        aor: user.username,
        connectionId: connections.rows[0]?.id,
        transport: "wss",
      }),
    ]);

    expect((await ua.unregister()).final.status).toBe(200);
    const events = await until(
      () => read<EventRow[]>(eventsRoute, `/api/v1/events?aor=${user.username}`),
      (rows) => rows.some((e) => e.kind === "registration_removed"),
      "the removed event",
    );
    await nextCycles("lab", 2);
    const settled = await read<EventRow[]>(eventsRoute, `/api/v1/events?aor=${user.username}`);
    expect(settled.map((e) => e.kind)).toEqual(["registration_removed", "registration_added"]);
    expect(events.length).toBeLessThanOrEqual(2);
    expect(polled.pollErrors).toEqual([]);
  });
});
