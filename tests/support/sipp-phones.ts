import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { LabConfig, LabUser } from "./lab";
import { splitHostPort } from "./lab";
import { freePort, isListening } from "./ports";
import { SipStreamRelay } from "./sip-stream-relay";
import { describeSippFailure, finalResponses, SippProcess, type SippResult, scenariosDir } from "./sipp";
import { waitFor } from "./wait";

// SIPp playing classic SIP phones (UDP, TCP, TLS) against the lab gateway.

export type SippTransport = "udp" | "tcp" | "tls";

interface Wire {
  sippTransport: "u1" | "t1";
  remote: string;
  viaTransport: "UDP" | "TCP" | "TLS";
  relay: SipStreamRelay | undefined;
}

/** UDP goes straight to the gateway; TCP and TLS go through a relay that keeps the connection. */
async function openWire(lab: LabConfig, transport: SippTransport): Promise<Wire> {
  if (transport === "udp") {
    return { sippTransport: "u1", remote: lab.sip.udp, viaTransport: "UDP", relay: undefined };
  }
  const upstream = splitHostPort(transport === "tls" ? lab.sip.tls : lab.sip.tcp);
  const relay = await SipStreamRelay.start({ ...upstream, tls: transport === "tls" });
  return {
    sippTransport: "t1",
    remote: `127.0.0.1:${relay.port}`,
    viaTransport: transport === "tls" ? "TLS" : "TCP",
    relay,
  };
}

export interface SippRegistration {
  result: SippResult;
  /** Final responses to the two REGISTERs, e.g. [401, 200] (challenge, then accepted). */
  finals: number[];
  wire: Wire;
  localPort: number;
}

/** REGISTER with digest; the relay (TCP/TLS) stays open so the registration's connection stays alive. */
export async function sippRegister(
  lab: LabConfig,
  user: LabUser,
  transport: SippTransport,
  options: {
    password?: string;
    localPort?: number;
    contactPort?: number;
    expires?: number;
    label?: string;
  } = {},
): Promise<SippRegistration> {
  const wire = await openWire(lab, transport);
  const localPort = options.localPort ?? (await freePort());
  const sipp = SippProcess.start({
    scenario: "register.xml",
    label: options.label ?? `register-${transport}-${user.username}`,
    transport: wire.sippTransport,
    localPort,
    remote: wire.remote,
    auth: { username: user.username, password: options.password ?? user.password },
    keys: {
      user: user.username,
      domain: lab.domain,
      via_transport: wire.viaTransport,
      contact_host: "127.0.0.1",
      contact_port: String(options.contactPort ?? localPort),
      contact_transport: transport,
      expires: String(options.expires ?? 300),
    },
    timeoutMs: 15_000,
  });
  const result = await sipp.finished();
  return { result, finals: finalResponses(result, "REGISTER"), wire, localPort };
}

export interface SippCallee {
  user: LabUser;
  transport: SippTransport;
  uas: SippProcess;
  registration: SippRegistration;
  /** Waits for the UAS scenario to complete and returns its result (the INVITE it got is in the trace). */
  finished(): Promise<SippResult>;
  stop(): Promise<void>;
}

/**
 * A registered SIPp callee: "answer" picks up with plain RTP and waits for BYE; "reject" answers 486.
 * UDP: REGISTER from port P, then the UAS listens on P. TLS/TCP: the UAS listens on TCP and the relay
 * hands it what the gateway sends over the registration's connection.
 */
/** A callee answers 200, rejects with 486 Busy Here ("reject"), or rejects with the given final status. */
export type CalleeBehaviour = "answer" | "reject" | { status: number; reason: string };
const BUSY = { status: 486, reason: "Busy Here" };

/** uas-reject.template.xml with the status line and, for 401/407, the challenge header filled in. */
function rejectScenario(rejection: { status: number; reason: string }): string {
  const nonce = randomBytes(8).toString("hex");
  const challenge =
    rejection.status === 407
      ? `Proxy-Authenticate: Digest realm="downstream.invalid", nonce="${nonce}"`
      : rejection.status === 401
        ? `WWW-Authenticate: Digest realm="downstream.invalid", nonce="${nonce}"`
        : "X-Reject: test";
  const text = readFileSync(path.join(scenariosDir, "uas-reject.template.xml"), "utf8")
    .replace("SIP/2.0 STATUS REASON", `SIP/2.0 ${rejection.status} ${rejection.reason}`)
    .replace(/^(\s*)CHALLENGE$/m, `$1${challenge}`);
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), "kamdash-sipp-")),
    `uas-reject-${rejection.status}.xml`,
  );
  writeFileSync(file, text);
  return file;
}

export async function startSippCallee(
  lab: LabConfig,
  user: LabUser,
  transport: SippTransport,
  behaviour: CalleeBehaviour,
  timeoutMs = 45_000,
  calls = 1,
): Promise<SippCallee> {
  const rejection = behaviour === "reject" ? BUSY : behaviour === "answer" ? null : behaviour;
  const scenario = rejection ? rejectScenario(rejection) : "uas-answer.xml";
  const label = `${rejection ? `reject${rejection.status}` : "answer"}-${transport}-${user.username}`;
  const keys: Record<string, string> = { contact_transport: transport };
  let uas: SippProcess;
  let registration: SippRegistration;
  if (transport === "udp") {
    registration = await sippRegister(lab, user, "udp");
    expect(registration.finals, `${label}: REGISTER`).toEqual([401, 200]);
    uas = startUas(scenario, label, "u1", registration.localPort, keys, timeoutMs, calls);
    await waitFor(() => isListening(registration.localPort, "udp"), {
      description: `${label} UAS listening`,
    });
  } else {
    const uasPort = await freePort();
    uas = startUas(scenario, label, "t1", uasPort, keys, timeoutMs, calls);
    await waitFor(() => isListening(uasPort, "tcp"), { description: `${label} UAS listening` });
    registration = await sippRegister(lab, user, transport, { contactPort: uasPort });
    expect(registration.finals, `${label}: REGISTER`).toEqual([401, 200]);
    if (registration.wire.relay) registration.wire.relay.inboundPort = uasPort;
  }
  return {
    user,
    transport,
    uas,
    registration,
    finished: () => uas.finished(),
    stop: async () => {
      await uas.stop();
      await registration.wire.relay?.close();
    },
  };
}

function startUas(
  scenario: string,
  label: string,
  sippTransport: "u1" | "t1",
  localPort: number,
  keys: Record<string, string>,
  timeoutMs: number,
  calls: number,
): SippProcess {
  return SippProcess.start({ scenario, label, transport: sippTransport, localPort, keys, timeoutMs, calls });
}

export interface SippCaller {
  callId: string;
  uac: SippProcess;
  wire: Wire;
  finished(): Promise<SippResult>;
  stop(): Promise<void>;
}

/** A SIPp caller: plain-RTP INVITE to `calleeUser`, answers 407, holds the call `holdMs`, then BYE. */
export async function startSippCaller(
  lab: LabConfig,
  user: LabUser,
  calleeUser: string,
  transport: SippTransport,
  holdMs: number,
): Promise<SippCaller> {
  const wire = await openWire(lab, transport);
  const callId = `gw-${transport}-${randomBytes(8).toString("hex")}`;
  const uac = SippProcess.start({
    callId,
    scenario: "uac-call.xml",
    label: `call-${transport}-${user.username}-to-${calleeUser}`,
    transport: wire.sippTransport,
    localPort: await freePort(),
    remote: wire.remote,
    auth: { username: user.username, password: user.password },
    pauseMs: holdMs,
    keys: {
      user: user.username,
      callee: calleeUser,
      domain: lab.domain,
      via_transport: wire.viaTransport,
      contact_transport: transport,
    },
    timeoutMs: holdMs + 40_000,
  });
  return {
    callId,
    uac,
    wire,
    finished: () => uac.finished(),
    stop: async () => {
      await uac.stop();
      await wire.relay?.close();
    },
  };
}

/** Asserts SIPp ran its scenario to the end (exit 0). */
export function expectSippSuccess(result: SippResult): void {
  expect(result.exitCode, describeSippFailure(result)).toBe(0);
}
