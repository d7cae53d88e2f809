import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { removeRegistrations } from "./kamailio-rpc";
import { ensureLab, type LabConfig, type LabUser, LabUsers, readLab } from "./lab";
import { RtpengineSessions } from "./rtpengine-sessions";
import { type IncomingCallPolicy, SipWsUa } from "./sip-ws-ua";

// Per-file fixture for the gateway suite: lab up, a private slice of lab users, cleanup after each test.

export interface GatewayFixture {
  readonly lab: LabConfig;
  readonly rtpengine: RtpengineSessions;
  /** A lab user no other test uses, with no registered contact left over. */
  freshUser(): Promise<LabUser>;
  /** A SIP-over-WebSocket UA for `user` (closed after the test). */
  wsUa(user: LabUser, kind: "ws" | "wss", incomingCalls?: IncomingCallPolicy): Promise<SipWsUa>;
  /** Registers cleanup to run after the current test (last registered runs first). */
  onCleanup(action: () => Promise<unknown> | unknown): void;
}

/**
 * Call at the top of a test file. `userSlice` is the file's own range of indexes into lab.json's users
 * (slices keep files from sharing users). Taken by the gateway suite: 8..32, 33 (third-party-client, JsSIP),
 * 58..60 and 64..79 (branch counters); the lab integration tests use 34..47 (tests/integration/overview-lab.test.ts) 50..53 (actions-lab), 54..57 (troubleshoot-lab), 61 (canary-lab), 62..63 (troubleshoot-poller-lab), 80..81 (rtpengine-instance-stats-lab), 88..89 (fault-rtpengine-stopped),
 * 82..83 (e2e hostile SIP text), 84..85 (one-way-audio-lab), 86..87 (e2e one-way audio); the e2e wall test
 * takes the last 5, capture-fixtures the last 4 and rpc-lab the last 2 — suites run one after another.
 */
export function setUpGatewayFixture(userSlice: { first: number; count: number }): GatewayFixture {
  let lab: LabConfig | undefined;
  let users: LabUsers | undefined;
  let rtpengine: RtpengineSessions | undefined;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];

  beforeAll(async () => {
    // the project's global setup brought the lab up once; without it, bring it up here
    lab = inject("gatewayLabReady") ? readLab() : await ensureLab();
    users = new LabUsers(lab, userSlice);
    rtpengine = new RtpengineSessions(lab.rtpengine.ng);
  });

  afterEach(async () => {
    const errors: unknown[] = [];
    for (const action of cleanups.splice(0).reverse()) {
      try {
        await action();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "cleanup failed");
  });

  afterAll(async () => {
    await rtpengine?.close();
  });

  const requireLab = (): LabConfig => {
    if (!lab) throw new Error("lab not ready: setUpGatewayFixture's beforeAll has not run");
    return lab;
  };

  const fixture: GatewayFixture = {
    get lab() {
      return requireLab();
    },
    get rtpengine() {
      if (!rtpengine) throw new Error("lab not ready");
      return rtpengine;
    },
    async freshUser() {
      if (!users) throw new Error("lab not ready");
      const user = users.take();
      const rpcUrl = requireLab().rpc;
      await removeRegistrations(rpcUrl, user.username);
      fixture.onCleanup(() => removeRegistrations(rpcUrl, user.username));
      return user;
    },
    async wsUa(user, kind, incomingCalls) {
      const current = requireLab();
      const origin = current.origins[0];
      if (!origin) throw new Error("lab.json lists no origins");
      const ua = await SipWsUa.connect({
        url: kind === "wss" ? current.sip.wss : current.sip.ws,
        origin,
        domain: current.domain,
        username: user.username,
        password: user.password,
        incomingCalls,
      });
      fixture.onCleanup(() => ua.close());
      return ua;
    },
    onCleanup(action) {
      cleanups.push(action);
    },
  };
  return fixture;
}
