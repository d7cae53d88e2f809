/**
 * Real WebRTC media through the gateway: headless Chromium (JsSIP over WSS, DTLS-SRTP, ICE) <-> Kamailio <->
 * RTPEngine <-> SIPp over plain UDP/RTP, in both call directions.
 *
 * Why it is set up this way (see environment.ts and tests/support/):
 * - Network namespace `kamdash-webrtc-<pid>` with only `lo` up. Kamailio, RTPEngine (scripts/lab labUp with
 *   its own state dir .lab-webrtc-<pid>/ and database kamdash_webrtc), SIPp, the page server and Chromium all
 *   run inside it, so ICE can only gather 127.0.0.1 and nothing collides with the shared lab on the host.
 *   PostgreSQL on the host's 127.0.0.1:5432 is invisible there: socat inside the namespace forwards
 *   127.0.0.1:5432 to PostgreSQL's Unix socket. RTPEngine's NG port is queried by running ng-query.ts (lib's
 *   NG client) inside the namespace (`ip netns exec`); Chromium is launched through a wrapper script that
 *   enters the namespace, and playwright keeps driving it over the inherited pipe.
 * - Chromium flags: --use-fake-device-for-media-stream and --use-fake-ui-for-media-stream (a synthetic
 *   microphone, no prompt), --ignore-certificate-errors (self-signed WSS), --allow-loopback-in-peer-connection
 *   (without it no ICE candidate on 127.0.0.1 is gathered and JsSIP never sends the INVITE), --no-sandbox
 *   (root), --headless=new. HOME/TMPDIR/XDG point into the state dir (PulseAudio writes there).
 * - The page is served from http://127.0.0.1:8088 (a secure context, so getUserMedia works); that Origin is
 *   passed to labUp so the gateway accepts the WSS handshake. JsSIP is bundled with esbuild (no browser build
 *   ships in the npm package). bundlePolicy "balanced": RTPEngine's answer has no BUNDLE group.
 * - SIPp scenarios (./scenarios): the UDP callee echoes [last_Record-Route:] so ACK/BYE pass Kamailio, and
 *   echoes RTP (-rtp_echo); the UDP caller answers the 407 challenge and plays sip-tester's g711a.pcap audio,
 *   re-packetized to 20 ms (g711-pcap.ts: the shipped file has 30 ms frames while the SDP says a=ptime:20).
 * - "Audio both ways" means each direction runs at the packet rate its SDP implies, RTP only (measure.ts,
 *   packet-rate.ts): a silent leg, or a sender at the wrong rate, fails.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForListener } from "../support/netns";
import { findG711Pcap, setUpWebrtcEnvironment, type WebrtcEnvironment } from "./environment";
import { pcapRate, writeG711Pcap20ms } from "./g711-pcap";
import { type CallMeasurement, measureCall } from "./measure";
import { describeRate, RATE_BAND } from "./packet-rate";
import { renderScenario, startSipp } from "./sipp";

/** Length of the 20 ms pcap SIPp plays: well past SETTLE_MS + WINDOW_MS and the NG child process start. */
const PCAP_SECONDS = 30;
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

/**
 * Every direction must run at the rate its SDP implies (see packet-rate.ts for the band), counted as RTP only:
 * RTPEngine's per-leg sums (lib's callMediaLegs) must equal its own RTP total in each reading, so no RTCP stream
 * is added in.
 */
function expectAudioBothWays(measured: CallMeasurement): void {
  for (const rate of [measured.browserSent, measured.sippSent, measured.browserReceived]) {
    expect(rate.perSecond, describeRate(rate)).toBeGreaterThanOrEqual(rate.expected * RATE_BAND.low);
    expect(rate.perSecond, describeRate(rate)).toBeLessThanOrEqual(rate.expected * RATE_BAND.high);
  }
  for (const totals of measured.totals)
    expect(totals.legsRtp, "sum of the legs' RTP = RTPEngine's RTP total (its RTCP total not added in)").toBe(
      totals.totalsRtp,
    );
}

const summary = (m: CallMeasurement): string =>
  [m.browserSent, m.sippSent, m.browserReceived].map((r) => `${r.perSecond.toFixed(1)}/s`).join(", ");

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

  it("browser (WSS) calls a UDP callee that echoes RTP: RTP flows both ways at the SDP's rate", async () => {
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
      let measured: CallMeasurement;
      try {
        measured = await measureCall(requireEnv(), call.callId, log);
      } finally {
        await page.evaluate(() => window.kamdashPhone.hangUp());
      }
      await callee.succeeded(20_000);

      expectAudioBothWays(measured);
      ran.push(`browser->udp echo (browser sent, sipp echoed, browser received: ${summary(measured)})`);
    } catch (error) {
      failed = true;
      await explainFailure(error);
    }
  });

  it("UDP caller playing a G.711 pcap calls the browser, which auto-answers: RTP flows both ways at the SDP's rate", async () => {
    const { netns, lab, page, browserUser, sippUser, workDir } = requireEnv();
    const shipped = await findG711Pcap();
    const shippedRate = await pcapRate(shipped);
    const pcap = path.join(workDir, "g711a-20ms.pcap");
    const played = await writeG711Pcap20ms(shipped, pcap, PCAP_SECONDS);
    log(`scenario 2: SIPp UAC ${sippUser.username} (udp, plays ${pcap}) -> browser ${browserUser.username}`);
    log(
      `  ${shipped}: ${shippedRate.packets} packets of ${shippedRate.payloadBytes} bytes over ${shippedRate.seconds.toFixed(2)} s (${shippedRate.perSecond.toFixed(1)}/s); plays ${pcap}: ${played.payloadBytes}-byte frames at ${played.perSecond}/s for ${played.seconds} s`,
    );
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
      let measured: CallMeasurement;
      try {
        measured = await measureCall(requireEnv(), call.callId, log);
      } finally {
        await page.evaluate(() => window.kamdashPhone.hangUp());
      }
      await callerDone;

      // SIPp starts the pcap when it sends the ACK, before the browser sees it: a window that ended within the
      // pcap's length saw it playing throughout. Otherwise the rates below would measure its silence.
      if (measured.windowEndMs >= played.seconds * 1_000)
        throw new Error(
          `the window ended ${Math.round(measured.windowEndMs)} ms after the answer, past the ${played.seconds} s pcap`,
        );
      expectAudioBothWays(measured);
      // The pcap sends RTCP to RTPEngine's RTCP stream for SIPp's leg: there was RTCP to leave out.
      const last = measured.totals.at(-1);
      expect(last?.totalsRtcp ?? 0, "RTPEngine's RTCP total (the pcap's sender reports)").toBeGreaterThan(0);
      expect(last?.rtcpStreams ?? 0, "packets on the RTCP-only streams").toBeGreaterThan(0);
      ran.push(`udp pcap->browser (browser sent, sipp sent, browser received: ${summary(measured)})`);
    } catch (error) {
      failed = true;
      await explainFailure(error);
    }
  });
});
