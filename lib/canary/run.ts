import { type Core, Inviter, Registerer, RegistererState, UserAgent, type UserAgentOptions } from "sip.js";
import type { CanaryTarget } from "./config";
import type { CanaryOutcome, CanaryResult } from "./schema";
import { calleeDirection, judgeSdp } from "./sdp-checks";
import { canarySdhFactory, type SdpExchange } from "./sdp-handler";
import { WsTransport, type WsTransportOptions } from "./ws-transport";

// One canary run, as a browser phone would meet the gateway: the caller registers over WSS, the callee (a second
// probe user, or the operator's URI) is called, the SDP is judged, the call is hung up, both unregister. Every
// socket is closed in `finally`, whatever happened.

class RunFailure extends Error {
  constructor(
    readonly outcome: CanaryOutcome,
    reason: string,
    readonly sipStatus: number | null = null,
  ) {
    super(reason);
  }
}

type Probe = {
  ua: UserAgent;
  transport: () => WsTransport | undefined;
  exchange: SdpExchange;
  registerer?: Registerer;
};

const round = (ms: number) => Math.round(ms * 10) / 10;
const statusText = (method: string, response: Core.IncomingResponse) =>
  `${method} ${response.message.statusCode} ${response.message.reasonPhrase}`.trim();

function probeUa(target: CanaryTarget, user: { username: string; password: string }, callee: boolean): Probe {
  const exchange: SdpExchange = { sent: null, received: null };
  let transport: WsTransport | undefined;
  const transportOptions: WsTransportOptions = {
    server: target.url,
    origin: target.origin,
    verifyTls: target.verifyTls,
    // a backstop only: the run's own deadline (timeoutMs) ends a hanging handshake first, naming the phase
    connectTimeoutMs: target.timeoutMs + 1000,
  };
  // SIP.js constructs the transport itself; keep a handle to close its socket at the end
  class TrackedTransport extends WsTransport {
    constructor(...args: ConstructorParameters<typeof WsTransport>) {
      super(...args);
      transport = this;
    }
  }
  const options: UserAgentOptions = {
    uri: UserAgent.makeURI(`sip:${user.username}@${target.sipDomain}`),
    authorizationUsername: user.username,
    authorizationPassword: user.password,
    transportConstructor: TrackedTransport,
    transportOptions,
    sessionDescriptionHandlerFactory: canarySdhFactory(exchange),
    userAgentString: "kamdash canary",
    logBuiltinEnabled: false,
    logLevel: "error",
    noAnswerTimeout: Math.ceil(target.timeoutMs / 1000),
  };
  const ua = new UserAgent(options);
  if (callee) ua.delegate = { onInvite: (invitation) => void invitation.accept().catch(() => undefined) };
  return { ua, transport: () => transport, exchange };
}

async function connect(probe: Probe): Promise<void> {
  try {
    await probe.ua.start();
  } catch (err) {
    const failure = probe.transport()?.failure;
    throw new RunFailure("connect_failed", `WebSocket: ${failure?.message ?? (err as Error).message}`);
  }
}

/** REGISTER → 2xx, ms (digest challenge included). Throws RunFailure(outcome) with the final status. */
async function register(probe: Probe, outcome: CanaryOutcome, expires: number): Promise<number> {
  const registerer = new Registerer(probe.ua, { expires });
  probe.registerer = registerer;
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    registerer
      .register({
        requestDelegate: {
          onAccept: () => resolve(round(performance.now() - started)),
          onReject: (response) =>
            reject(
              new RunFailure(outcome, statusText("REGISTER", response), response.message.statusCode ?? null),
            ),
        },
      })
      .catch((err: Error) => reject(new RunFailure(outcome, `REGISTER not sent: ${err.message}`)));
  });
}

async function unregister(probe: Probe): Promise<void> {
  const registerer = probe.registerer;
  if (!registerer || registerer.state !== RegistererState.Registered) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    registerer.unregister({ requestDelegate: { onAccept: done, onReject: done } }).catch(done);
  });
}

/** Unregisters (best effort, ≤ 2 s each), stops the user agents and drops their sockets. Never throws. */
async function cleanUp(probes: readonly Probe[]): Promise<void> {
  await Promise.allSettled(probes.map((p) => unregister(p)));
  await Promise.allSettled(
    probes.map(async (p) => {
      await Promise.race([p.ua.stop(), new Promise((resolve) => setTimeout(resolve, 1000))]);
    }),
  );
  for (const p of probes) p.transport()?.terminate();
}

/**
 * One canary run against `target`. Never throws: every failure is a result with its outcome and reason
 * (register_failed "REGISTER 401 Unauthorized", call_failed "INVITE 404 Not Found", timeout "… during invite").
 * Times are ms from performance.now(): registerMs is the caller's REGISTER → 2xx, setupMs INVITE → 200 OK,
 * byeMs BYE → 2xx. `signal` (the scheduler's) ends the run like its own timeout.
 */
export async function runCanary(target: CanaryTarget, signal?: AbortSignal): Promise<CanaryResult> {
  const at = new Date().toISOString();
  const calleeUri =
    target.callee.kind === "uri" ? target.callee.uri : `sip:${target.callee.username}@${target.sipDomain}`;
  const result: CanaryResult = {
    at,
    target: calleeUri,
    outcome: "ok",
    reason: null,
    registerMs: null,
    setupMs: null,
    byeMs: null,
    sipStatus: null,
    sdpChecks: null,
  };
  const caller = probeUa(target, target.caller, false);
  const callee = target.callee.kind === "user" ? probeUa(target, target.callee, true) : null;
  const probes = callee ? [caller, callee] : [caller];
  let phase = "connect";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expires = Math.max(60, Math.ceil((target.timeoutMs * 2) / 1000));
  const steps = async () => {
    await connect(caller);
    phase = "register";
    result.registerMs = await register(caller, "register_failed", expires);
    if (callee) {
      phase = "callee register";
      await connect(callee);
      await register(callee, "callee_register_failed", expires);
    }
    phase = "invite";
    const uri = UserAgent.makeURI(calleeUri);
    if (!uri) throw new RunFailure("error", `not a SIP URI: ${calleeUri}`);
    const inviter = new Inviter(caller.ua, uri);
    const inviteSent = performance.now();
    await new Promise<void>((resolve, reject) => {
      inviter
        .invite({
          requestDelegate: {
            onAccept: (response) => {
              result.setupMs = round(performance.now() - inviteSent);
              result.sipStatus = response.message.statusCode ?? null;
              resolve();
            },
            onReject: (response) =>
              reject(
                new RunFailure(
                  "call_failed",
                  statusText("INVITE", response),
                  response.message.statusCode ?? null,
                ),
              ),
          },
        })
        .catch((err: Error) => reject(new RunFailure("call_failed", `INVITE not sent: ${err.message}`)));
    });
    result.sdpChecks = judgeSdp({
      direction: calleeDirection(target.url, target.callee.kind === "uri" ? target.callee.uri : null),
      calleeIsProbe: callee !== null,
      offerSent: caller.exchange.sent,
      offerReceived: callee?.exchange.received ?? null,
      answerSent: callee?.exchange.sent ?? null,
      answerReceived: caller.exchange.received,
    });
    phase = "bye";
    const byeSent = performance.now();
    await new Promise<void>((resolve, reject) => {
      inviter
        .bye({
          requestDelegate: {
            onAccept: (response) => {
              result.byeMs = round(performance.now() - byeSent);
              result.sipStatus = response.message.statusCode ?? null;
              resolve();
            },
            onReject: (response) =>
              reject(
                new RunFailure(
                  "bye_failed",
                  statusText("BYE", response),
                  response.message.statusCode ?? null,
                ),
              ),
          },
        })
        .catch((err: Error) => reject(new RunFailure("bye_failed", `BYE not sent: ${err.message}`)));
    });
    const failed = result.sdpChecks.checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      throw new RunFailure(
        "sdp_mismatch",
        `SDP not as expected: ${failed.map((c) => `${c.leg} ${c.name}`).join(", ")}`,
      );
    }
  };
  const deadline = new Promise<never>((_, reject) => {
    const stop = (why: string) => reject(new RunFailure("timeout", `${why} (during ${phase})`));
    timer = setTimeout(() => stop(`no answer within ${target.timeoutMs} ms`), target.timeoutMs);
    signal?.addEventListener("abort", () => stop("run aborted"), { once: true });
  });
  try {
    await Promise.race([steps(), deadline]);
  } catch (err) {
    const failure = err instanceof RunFailure ? err : new RunFailure("error", (err as Error).message);
    result.outcome = failure.outcome;
    result.reason = failure.message;
    if (failure.sipStatus !== null) result.sipStatus = failure.sipStatus;
  } finally {
    clearTimeout(timer);
    await cleanUp(probes);
  }
  return result;
}
