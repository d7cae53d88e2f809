import * as JsSIP from "jssip";
import type { DisconnectEvent, RegisteredEvent, UA, UnRegisteredEvent } from "jssip/lib/UA";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type LabConfig, type LabUser, readLabConfig } from "../../scripts/lab/lab";
import { parseDigestChallenge } from "../support/digest";
import { installJsSipWebSocket, type JsSipWebSocketShim } from "../support/jssip-node-websocket";
import { kamailioRpc, registeredContacts, removeRegistrations } from "../support/kamailio-rpc";
import { cseqOf, header, parseSipMessage, type SipResponse } from "../support/sip-message";
import { waitFor, withTimeout } from "../support/wait";

// Acceptance: a SIP-over-WebSocket client that is not part of the project (JsSIP, run in Node) registers a
// lab user over WS and WSS knowing only what .lab/lab.json says, and is refused with a foreign Origin.

/**
 * Index into lab.json's users. Free elsewhere: the gateway suite's fixtures take 8..32 and 48..60,
 * integration 34..47, e2e/capture/rpc-lab the last five (59..63); handshake.test.ts holds 33 with count 0.
 */
const USER_INDEX = 33;
const FOREIGN_ORIGIN = "https://evil.example";
const EVENT_TIMEOUT_MS = 15_000;

let lab: LabConfig;
let user: LabUser;

interface JsSipClient {
  readonly ua: UA;
  readonly shim: JsSipWebSocketShim;
  /** Names of the UA events seen so far, in order. */
  readonly events: string[];
}

let client: JsSipClient | undefined;

const watchedEvents = ["connected", "disconnected", "registered", "unregistered", "registrationFailed"];

function startJsSip(kind: "ws" | "wss", origin: string): JsSipClient {
  const shim = installJsSipWebSocket({ origin, labUrls: [lab.sip.ws, lab.sip.wss] });
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(kind === "wss" ? lab.sip.wss : lab.sip.ws)],
    uri: `sip:${user.username}@${lab.domain}`,
    password: user.password,
    register: true,
    session_timers: false,
  });
  const events: string[] = [];
  for (const name of watchedEvents) ua.addListener(name, () => events.push(name));
  client = { ua, shim, events };
  ua.start();
  return client;
}

/** The next `name` event of the UA; rejects when one of `failures` comes first or nothing comes in time. */
function nextEvent<T>(ua: UA, name: string, failures: readonly string[] = []): Promise<T> {
  const event = new Promise<T>((resolve, reject) => {
    ua.once(name, (payload: T) => resolve(payload));
    for (const failure of failures) {
      ua.once(failure, (payload: { cause?: string; code?: number }) =>
        reject(
          new Error(
            `JsSIP emitted ${failure} (${payload.cause ?? payload.code ?? "no detail"}) instead of ${name}`,
          ),
        ),
      );
    }
  });
  return withTimeout(event, EVENT_TIMEOUT_MS, `JsSIP event ${name}`);
}

/** REGISTER replies the gateway sent on the client's first WebSocket, in order. */
function registerReplies(shim: JsSipWebSocketShim): SipResponse[] {
  return (shim.connections[0]?.received ?? [])
    .map(parseSipMessage)
    .filter((message): message is SipResponse => message.kind === "response")
    .filter((response) => cseqOf(response).method === "REGISTER");
}

const lookupSchema = z.object({
  Contacts: z.array(
    z.object({ Contact: z.object({ "User-Agent": z.string(), "Call-ID": z.string() }).passthrough() }),
  ),
});

/** What usrloc recorded about who registered each contact (registeredContacts() leaves these out). */
async function registrationOrigins(username: string): Promise<{ userAgent: string; callId: string }[]> {
  const reply = lookupSchema.parse(await kamailioRpc(lab.rpc, "ul.lookup", "location", username));
  return reply.Contacts.map(({ Contact }) => ({
    userAgent: Contact["User-Agent"],
    callId: Contact["Call-ID"],
  }));
}

async function registerOverAllowedOrigin(kind: "ws" | "wss"): Promise<JsSipClient> {
  const origin = lab.origins[0];
  if (!origin) throw new Error("lab.json lists no origins");
  const started = startJsSip(kind, origin);
  const registered = await nextEvent<RegisteredEvent>(started.ua, "registered", [
    "registrationFailed",
    "disconnected",
  ]).catch((error: unknown) => {
    const statuses = started.shim.connections.map((connection) => connection.status ?? "none").join(", ");
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; handshake status: ${statuses}`,
    );
  });
  expect(registered.response.status_code).toBe(200);
  return started;
}

beforeAll(async () => {
  lab = await readLabConfig();
  const picked = lab.users[USER_INDEX];
  if (!picked) throw new Error(`lab.json has ${lab.users.length} users, this file needs #${USER_INDEX}`);
  user = picked;
  // JsSIP logs through `debug`; keep it quiet even if DEBUG is set for something else
  JsSIP.debug.disable();
});

beforeEach(async () => {
  await removeRegistrations(lab.rpc, user.username);
});

afterEach(async () => {
  const current = client;
  client = undefined;
  if (current) {
    current.ua.stop();
    await waitFor(() => current.shim.connections.every((connection) => connection.closed), {
      timeoutMs: EVENT_TIMEOUT_MS,
      description: "JsSIP's WebSockets to close after ua.stop()",
    });
    current.shim.restore();
  }
  await removeRegistrations(lab.rpc, user.username);
});

describe("third-party SIP client (JsSIP) against the gateway, configured from lab.json only", () => {
  for (const kind of ["ws", "wss"] as const) {
    it(`${kind.toUpperCase()}: registers (digest 401, then 200) and usrloc holds JsSIP's contact`, async () => {
      const { ua, shim } = await registerOverAllowedOrigin(kind);

      expect(shim.connections).toHaveLength(1);
      expect(shim.connections[0]?.status, "handshake upgraded").toBe(101);

      const [challenge, accepted, ...more] = registerReplies(shim);
      expect(more).toEqual([]);
      expect(challenge?.status).toBe(401);
      const digest = parseDigestChallenge((challenge && header(challenge, "www-authenticate")) ?? "");
      expect(digest.realm).toBe(lab.domain);
      expect(accepted?.status).toBe(200);
      expect(accepted && header(accepted, "call-id"), "the 200 answers the challenged registration").toBe(
        challenge && header(challenge, "call-id"),
      );

      const contacts = await registeredContacts(lab.rpc, user.username);
      expect(contacts).toHaveLength(1);
      expect(contacts[0]?.address).toBe(String(ua.contact.uri));
      const listener = new URL(kind === "wss" ? lab.sip.wss : lab.sip.ws).host;
      expect(contacts[0]?.socket, "WS rides on TCP, WSS on TLS").toBe(
        `${kind === "wss" ? "tls" : "tcp"}:${listener}`,
      );
      expect(await registrationOrigins(user.username)).toEqual([
        { userAgent: `JsSIP ${JsSIP.version}`, callId: accepted && header(accepted, "call-id") },
      ]);
    });

    it(`${kind.toUpperCase()}: a foreign Origin is refused with 403 at the handshake; nothing registers`, async () => {
      expect(lab.origins).not.toContain(FOREIGN_ORIGIN);
      const { ua, shim, events } = startJsSip(kind, FOREIGN_ORIGIN);

      const disconnected = await nextEvent<DisconnectEvent>(ua, "disconnected");
      expect(disconnected.error, "JsSIP reports the transport failure").toBe(true);
      expect(shim.connections.length).toBeGreaterThanOrEqual(1);
      for (const connection of shim.connections) {
        expect(connection.status, `handshake to ${connection.url}`).toBe(403);
        expect(connection.received).toEqual([]);
      }
      expect(events).not.toContain("connected");
      expect(events).not.toContain("registered");
      expect(ua.isConnected()).toBe(false);
      expect(ua.isRegistered()).toBe(false);
      expect(await registeredContacts(lab.rpc, user.username)).toEqual([]);
    });
  }

  it("WS: unregister() removes the contact while the WebSocket stays up", async () => {
    const { ua, shim } = await registerOverAllowedOrigin("ws");
    expect(await registeredContacts(lab.rpc, user.username)).toHaveLength(1);

    const unregistering = nextEvent<UnRegisteredEvent>(ua, "unregistered");
    ua.unregister();
    const unregistered = await unregistering;

    expect(unregistered.response?.status_code).toBe(200);
    const finalReply = registerReplies(shim).at(-1);
    expect(finalReply && header(finalReply, "contact"), "the 200 to the un-REGISTER lists no binding").toBe(
      undefined,
    );
    expect(await registeredContacts(lab.rpc, user.username)).toEqual([]);
    expect(ua.isConnected(), "removed by the un-REGISTER, not by a closed connection").toBe(true);
    expect(shim.connections[0]?.closed).toBe(false);
  });

  it("WSS: stop() un-registers (200) and closes the WebSocket; the contact is gone", async () => {
    const { ua, shim } = await registerOverAllowedOrigin("wss");
    expect(await registeredContacts(lab.rpc, user.username)).toHaveLength(1);

    const unregistering = nextEvent<UnRegisteredEvent>(ua, "unregistered");
    const disconnecting = nextEvent<DisconnectEvent>(ua, "disconnected");
    ua.stop();
    const unregistered = await unregistering;
    // a closed transport also emits `unregistered`, but without a response: this one is the gateway's 200
    expect(unregistered.response?.status_code).toBe(200);
    await disconnecting;
    await waitFor(() => shim.connections.every((connection) => connection.closed), {
      timeoutMs: EVENT_TIMEOUT_MS,
      description: "the WebSocket to close after ua.stop()",
    });
    expect(await registeredContacts(lab.rpc, user.username)).toEqual([]);
  });
});
