/**
 * Real WebRTC media through the gateway: headless Chromium (JsSIP over WSS, DTLS-SRTP, ICE) <-> Kamailio <->
 * RTPEngine <-> SIPp over plain UDP/RTP, in both call directions.
 *
 * Why it is set up this way (see environment.ts and tests/support/):
 * - Network namespace `kamdash-webrtc-<pid>` with only `lo` up. Kamailio, RTPEngine (scripts/lab labUp with
 *   its own state dir .lab-webrtc-<pid>/ and database kamdash_webrtc), SIPp, the page server and Chromium all
 *   run inside it, so ICE can only gather 127.0.0.1 and nothing collides with the shared lab on the host.
 *   PostgreSQL on the host's 127.0.0.1:5432 is invisible there: socat inside the namespace forwards
 *   127.0.0.1:5432 to PostgreSQL's Unix socket. RTPEngine's NG port is queried by running ng-query.ts inside
 *   the namespace (`ip netns exec`); Chromium is launched through a wrapper script that enters the namespace,
 *   and playwright keeps driving it over the inherited pipe.
 * - Chromium flags: --use-fake-device-for-media-stream and --use-fake-ui-for-media-stream (a synthetic
 *   microphone, no prompt), --ignore-certificate-errors (self-signed WSS), --allow-loopback-in-peer-connection
 *   (without it no ICE candidate on 127.0.0.1 is gathered and JsSIP never sends the INVITE), --no-sandbox
 *   (root), --headless=new. HOME/TMPDIR/XDG point into the state dir (PulseAudio writes there).
 * - The page is served from http://127.0.0.1:8088 (a secure context, so getUserMedia works); that Origin is
 *   passed to labUp so the gateway accepts the WSS handshake. JsSIP is bundled with esbuild (no browser build
 *   ships in the npm package). bundlePolicy "balanced": RTPEngine's answer has no BUNDLE group.
 * - SIPp scenarios (./scenarios): the UDP callee echoes [last_Record-Route:] so ACK/BYE pass Kamailio, and
 *   echoes RTP (-rtp_echo); the UDP caller answers the 407 challenge and plays sip-tester's g711a.pcap.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForListener } from "../support/netns";
import { findG711Pcap, setUpWebrtcEnvironment, type WebrtcEnvironment } from "./environment";
import { type LegCounters, legCounters, queryCall } from "./rtpengine-query";
import { renderScenario, startSipp } from "./sipp";

const AUDIO_MS = 5_000;
const CALLEE_SIP_PORT = 5070;
const CALLEE_RTP_PORT = 16_000;
const CALLER_SIP_PORT = 5072;
const CALLER_RTP_PORT = 16_100;

const ran: string[] = [];
const log = (line: string): void => console.log(`[webrtc] ${line}`);

let env: WebrtcEnvironment | undefined;
let failed = false;

function requireEnv(): WebrtcEnvironment {
  if (!env) throw new Error("environment not set up");
  return env;
}

/** The SIPp side's tags contain "SIPpTag" (see the scenarios); the other leg is the browser's. */
function splitLegs(legs: LegCounters[]): { browser: LegCounters | undefined; sipp: LegCounters | undefined } {
  return {
    browser: legs.find((leg) => !leg.tag.includes("SIPpTag")),
    sipp: legs.find((leg) => leg.tag.includes("SIPpTag")),
  };
}

async function measureCall(callId: string) {
  const { netns, lab, page } = requireEnv();
  await sleep(AUDIO_MS);
  const inbound = await page.evaluate(() => window.kamdashPhone.inboundAudio());
  const legs = legCounters(await queryCall(netns, lab.rtpengine.ng, callId));
  for (const leg of legs)
    log(`  rtpengine leg ${leg.tag} (${leg.protocol}): ${leg.packets} packets received`);
  log(
    `  browser inbound-rtp audio: ${inbound.packetsReceived} packets (${inbound.codec ?? "?"}), lost ${inbound.packetsLost}, peer connection ${inbound.connectionState}`,
  );
  return { inbound, ...splitLegs(legs) };
}

async function explainFailure(error: unknown): Promise<never> {
  const current = env;
  if (current) {
    const events = await current.page.evaluate(() => window.kamdashPhone.events()).catch(() => []);
    log(`browser events:\n  ${events.join("\n  ")}`);
  }
  throw error;
}

describe("WebRTC media through the gateway (Chromium over WSS <-> RTPEngine <-> SIPp over UDP)", () => {
  beforeAll(async () => {
    env = await setUpWebrtcEnvironment(log);
  }, 150_000);

  afterAll(async () => {
    log(`scenarios that ran: ${ran.length === 0 ? "none" : ran.join("; ")}`);
    await env?.tearDown(failed);
  }, 60_000);

  it("browser (WSS) calls a UDP callee that echoes RTP: packets flow both ways", async () => {
    const { netns, lab, page, sippUser, workDir } = requireEnv();
    const target = `sip:${sippUser.username}@${lab.domain}`;
    log(`scenario 1: browser -> ${target} (SIPp UAS with -rtp_echo on udp 127.0.0.1:${CALLEE_SIP_PORT})`);
    try {
      const common = ["-t", "u1", "-p", String(CALLEE_SIP_PORT), "-s", sippUser.username];
      const register = startSipp({
        netns,
        label: "callee-register",
        scenario: await renderScenario("register.xml", workDir),
        workDir,
        args: [
          lab.sip.udp,
          ...common,
          "-key",
          "domain",
          lab.domain,
          "-au",
          sippUser.username,
          "-ap",
          sippUser.password,
        ],
      });
      await register.succeeded(20_000);
      const callee = startSipp({
        netns,
        label: "callee-echo",
        scenario: await renderScenario("uas-echo.xml", workDir),
        workDir,
        args: [...common, "-mi", "127.0.0.1", "-mp", String(CALLEE_RTP_PORT), "-rtp_echo"],
      });
      await waitForListener(netns, "udp", CALLEE_SIP_PORT);

      const call = await page.evaluate((uri) => window.kamdashPhone.call(uri), target);
      log(`  call confirmed, Call-ID ${call.callId}`);
      let measured: Awaited<ReturnType<typeof measureCall>>;
      try {
        measured = await measureCall(call.callId);
      } finally {
        await page.evaluate(() => window.kamdashPhone.hangUp());
      }
      await callee.succeeded(20_000);

      expect(measured.browser?.packets ?? 0, "RTPEngine: packets from the browser").toBeGreaterThan(0);
      expect(measured.sipp?.packets ?? 0, "RTPEngine: packets from the SIPp callee").toBeGreaterThan(0);
      expect(
        measured.inbound.packetsReceived,
        "browser getStats inbound-rtp packetsReceived",
      ).toBeGreaterThan(0);
      ran.push(
        `browser->udp echo (browser sent ${measured.browser?.packets}, sipp sent ${measured.sipp?.packets}, browser received ${measured.inbound.packetsReceived})`,
      );
    } catch (error) {
      failed = true;
      await explainFailure(error);
    }
  });

  it("UDP caller playing a G.711 pcap calls the browser, which auto-answers: packets flow both ways", async () => {
    const { netns, lab, page, browserUser, sippUser, workDir } = requireEnv();
    const pcap = await findG711Pcap();
    log(`scenario 2: SIPp UAC ${sippUser.username} (udp, plays ${pcap}) -> browser ${browserUser.username}`);
    try {
      const answered = page.evaluate(() => window.kamdashPhone.answerNextCall());
      const caller = startSipp({
        netns,
        label: "caller-pcap",
        scenario: await renderScenario("uac-pcap.xml", workDir, { G711A_PCAP: pcap }),
        workDir,
        args: [
          lab.sip.udp,
          ...["-t", "u1", "-p", String(CALLER_SIP_PORT), "-mi", "127.0.0.1", "-mp", String(CALLER_RTP_PORT)],
          ...["-s", browserUser.username, "-key", "caller", sippUser.username, "-key", "domain", lab.domain],
          ...["-au", sippUser.username, "-ap", sippUser.password],
        ],
      });
      const callerDone = caller.succeeded(45_000);
      callerDone.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
      // If SIPp fails before the browser rings, report SIPp's error instead of waiting for the answer.
      const call = await Promise.race([
        answered,
        callerDone.then(() => Promise.reject(new Error("SIPp ended before the call was answered"))),
      ]);
      log(`  call answered by the browser, Call-ID ${call.callId}`);
      let measured: Awaited<ReturnType<typeof measureCall>>;
      try {
        measured = await measureCall(call.callId);
      } finally {
        await page.evaluate(() => window.kamdashPhone.hangUp());
      }
      await callerDone;

      expect(measured.browser?.packets ?? 0, "RTPEngine: packets from the browser").toBeGreaterThan(0);
      expect(measured.sipp?.packets ?? 0, "RTPEngine: packets from the SIPp caller").toBeGreaterThan(0);
      expect(
        measured.inbound.packetsReceived,
        "browser getStats inbound-rtp packetsReceived",
      ).toBeGreaterThan(0);
      ran.push(
        `udp pcap->browser (sipp sent ${measured.sipp?.packets}, browser sent ${measured.browser?.packets}, browser received ${measured.inbound.packetsReceived})`,
      );
    } catch (error) {
      failed = true;
      await explainFailure(error);
    }
  });
});
