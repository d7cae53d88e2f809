import { describe, expect, it } from "vitest";
import { parseDigestChallenge } from "../support/digest";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { registeredContacts } from "../support/kamailio-rpc";
import { header } from "../support/sip-message";
import { type SippTransport, sippRegister } from "../support/sipp-phones";
import { waitFor } from "../support/wait";

const gateway = setUpGatewayFixture({ first: 8, count: 9 });

function expectDigestChallenge(value: string | undefined, realm: string): void {
  expect(value, "401 carries WWW-Authenticate").toBeDefined();
  const challenge = parseDigestChallenge(value ?? "");
  expect(challenge.realm).toBe(realm);
  expect(challenge.qop).toContain("auth");
  expect(challenge.algorithm ?? "MD5").toMatch(/^MD5$/i);
}

describe("REGISTER with digest auth (SIPp phones)", () => {
  const sippTransports: SippTransport[] = ["udp", "tcp", "tls"];
  for (const transport of sippTransports) {
    it(`${transport.toUpperCase()}: 401 challenge, then 200; the contact is in usrloc`, async () => {
      const user = await gateway.freshUser();
      const registration = await sippRegister(gateway.lab, user, transport, {
        label: `register-ok-${transport}`,
      });
      gateway.onCleanup(() => registration.wire.relay?.close());

      const challenge = registration.result.trace.find(
        (entry) => entry.direction === "received" && entry.message.kind === "response",
      );
      expect(challenge?.message.kind === "response" && challenge.message.status).toBe(401);
      expectDigestChallenge(challenge && header(challenge.message, "www-authenticate"), gateway.lab.domain);
      expect(registration.finals).toEqual([401, 200]);
      expect(registration.result.exitCode).toBe(0);

      const contacts = await registeredContacts(gateway.lab.rpc, user.username);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]?.address).toContain(`:${registration.localPort}`);
      expect(contacts[0]?.address.toLowerCase()).toContain(`transport=${transport}`);
      const listener = transport === "tls" ? gateway.lab.sip.tls : gateway.lab.sip[transport];
      expect(contacts[0]?.socket, "registration arrived on the gateway's listener").toBe(
        `${transport}:${listener}`,
      );
      if (transport !== "udp") {
        // connection-oriented phones are reached back over their own connection
        const relayPort = registration.wire.relay?.upstreamLocalPort;
        expect(contacts[0]?.received).toBe(`sip:127.0.0.1:${relayPort};transport=${transport}`);
      }
    });
  }

  it("UDP: wrong password is refused and nothing is registered", async () => {
    const user = await gateway.freshUser();
    const registration = await sippRegister(gateway.lab, user, "udp", {
      password: `${user.password}-wrong`,
      label: "register-wrong-password-udp",
    });
    expect(registration.finals).toHaveLength(2);
    expect([401, 403]).toContain(registration.finals[1]);
    expect(await registeredContacts(gateway.lab.rpc, user.username)).toEqual([]);
  });

  it("UDP: an unknown user is refused and nothing is registered", async () => {
    const unknown = { username: "9999", password: "not-a-lab-user" };
    const registration = await sippRegister(gateway.lab, unknown, "udp", {
      label: "register-unknown-user-udp",
    });
    expect(registration.finals).toHaveLength(2);
    expect([401, 403, 404]).toContain(registration.finals[1]);
    expect(await registeredContacts(gateway.lab.rpc, unknown.username)).toEqual([]);
  });
});

describe("REGISTER with digest auth (SIP over WebSocket UA)", () => {
  for (const kind of ["ws", "wss"] as const) {
    it(`${kind.toUpperCase()}: 401 challenge, then 200; the .invalid contact is in usrloc`, async () => {
      const user = await gateway.freshUser();
      const ua = await gateway.wsUa(user, kind);
      const { challenge, final } = await ua.register();

      expect(challenge?.status).toBe(401);
      expectDigestChallenge(challenge && header(challenge, "www-authenticate"), gateway.lab.domain);
      expect(final.status).toBe(200);
      expect(header(final, "contact"), "200 lists the binding").toContain(".invalid");

      const contacts = await registeredContacts(gateway.lab.rpc, user.username);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]?.address).toContain(ua.connection.viaHost);
      const listener = new URL(kind === "wss" ? gateway.lab.sip.wss : gateway.lab.sip.ws).host;
      expect(contacts[0]?.socket, "WS rides on TCP, WSS on TLS").toBe(
        `${kind === "wss" ? "tls" : "tcp"}:${listener}`,
      );
      // Kamailio's received URI says transport=ws for WS and WSS alike; the socket tells them apart
      expect(contacts[0]?.received).toMatch(/^sip:127\.0\.0\.1:\d+;transport=wss?$/);
    });

    it(`${kind.toUpperCase()}: wrong password is refused and nothing is registered`, async () => {
      const user = await gateway.freshUser();
      const ua = await gateway.wsUa({ ...user, password: `${user.password}-wrong` }, kind);
      const { challenge, final } = await ua.register();
      expect(challenge?.status).toBe(401);
      expect([401, 403]).toContain(final.status);
      expect(await registeredContacts(gateway.lab.rpc, user.username)).toEqual([]);
    });
  }

  it("WSS: an unknown user is refused", async () => {
    const ua = await gateway.wsUa({ username: "9998", password: "not-a-lab-user" }, "wss");
    const { final } = await ua.register();
    expect([401, 403, 404]).toContain(final.status);
    expect(await registeredContacts(gateway.lab.rpc, "9998")).toEqual([]);
  });

  it("WSS: closing the WebSocket drops the registration (handle_lost_tcp)", async () => {
    const user = await gateway.freshUser();
    const ua = await gateway.wsUa(user, "wss");
    expect((await ua.register()).final.status).toBe(200);
    expect(await registeredContacts(gateway.lab.rpc, user.username)).toHaveLength(1);
    await ua.connection.terminate();
    await waitFor(async () => (await registeredContacts(gateway.lab.rpc, user.username)).length === 0, {
      timeoutMs: 30_000,
      intervalMs: 500,
      description: "usrloc to drop the contact of the closed WebSocket",
    });
  });
});
