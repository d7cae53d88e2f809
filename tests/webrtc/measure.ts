// Measures each audio direction of an established call as a packet rate over a known window, from RTPEngine's
// NG counters (RTP only, per leg: lib/media/call-media.ts) and from the browser's getStats().
import { setTimeout as sleep } from "node:timers/promises";
import type { WebrtcEnvironment } from "./environment";
import {
  audioPtimeMs,
  describeRate,
  expectedPacketRate,
  type MeasuredRate,
  rateBetween,
} from "./packet-rate";
import { type CallReading, packetTotals, readCallTwice, splitLegs } from "./rtpengine-query";

/** Time after the call is confirmed before the window opens: ICE and DTLS finish, the first packets flow. */
export const SETTLE_MS = 1_000;
/** Length of each window: 200 packets at 50/s, so the edges (±1 packet each) weigh 1 %. */
export const WINDOW_MS = 4_000;

export interface CallMeasurement {
  /** RTPEngine: RTP received from the browser. */
  browserSent: MeasuredRate;
  /** RTPEngine: RTP received from SIPp. */
  sippSent: MeasuredRate;
  /** Browser getStats inbound-rtp packetsReceived: RTP that reached the browser. */
  browserReceived: MeasuredRate;
  /** Stream-kind totals of the two NG readings (see packetTotals). */
  totals: ReturnType<typeof packetTotals>[];
  /** ms from the start of measureCall (right after the call was confirmed) to the end of both windows. */
  windowEndMs: number;
}

function logReading(log: (line: string) => void, name: string, reading: CallReading): void {
  for (const leg of reading.legs)
    log(
      `  ${name}: rtpengine leg ${leg.tag} (${leg.protocol ?? "?"}): ${leg.received.packets} RTP packets received`,
    );
  const totals = packetTotals(reading);
  log(
    `  ${name}: legs' RTP ${totals.legsRtp}, RTPEngine totals RTP ${totals.totalsRtp} / RTCP ${totals.totalsRtcp}, RTCP-only streams ${totals.rtcpStreams}`,
  );
}

export async function measureCall(
  env: WebrtcEnvironment,
  callId: string,
  log: (line: string) => void,
): Promise<CallMeasurement> {
  const { netns, lab, page } = env;
  const startedAt = performance.now();
  await sleep(SETTLE_MS);
  // RFC 4566 a=ptime: the packetization a party wants to receive. The browser sends as the SDP it received
  // (RTPEngine's rewrite of SIPp's) asks; SIPp's side as the browser's SDP asks; G.711's default is 20 ms.
  const sdp = await page.evaluate(() => window.kamdashPhone.sessionDescriptions());
  const toSipp = expectedPacketRate(sdp.remote === null ? null : audioPtimeMs(sdp.remote));
  const toBrowser = expectedPacketRate(sdp.local === null ? null : audioPtimeMs(sdp.local));

  const ngReadings = readCallTwice(netns, lab.rtpengine.ng, callId, WINDOW_MS);
  ngReadings.catch(() => undefined); // awaited below; keeps a failure from being "unhandled" meanwhile
  const firstStats = await page.evaluate(() => window.kamdashPhone.audioStats());
  await sleep(WINDOW_MS);
  const secondStats = await page.evaluate(() => window.kamdashPhone.audioStats());
  const [first, second] = await ngReadings;
  const windowEndMs = performance.now() - startedAt;

  logReading(log, "window start", first);
  logReading(log, "window end", second);
  for (const [name, stats] of [
    ["window start", firstStats],
    ["window end", secondStats],
  ] as const)
    log(
      `  ${name}: browser inbound-rtp audio: ${stats.packetsReceived} packets (${stats.codec ?? "?"}), lost ${stats.packetsLost}; outbound-rtp sent ${stats.packetsSent}; peer connection ${stats.connectionState}`,
    );

  const legsAt = [splitLegs(first), splitLegs(second)] as const;
  const legRate = (label: string, side: "browser" | "sipp", expected: number): MeasuredRate =>
    rateBetween(
      label,
      { packets: legsAt[0][side].received.packets, atMs: first.atMs },
      { packets: legsAt[1][side].received.packets, atMs: second.atMs },
      expected,
    );
  const measurement: CallMeasurement = {
    browserSent: legRate("RTPEngine: RTP from the browser", "browser", toSipp),
    sippSent: legRate("RTPEngine: RTP from SIPp", "sipp", toBrowser),
    browserReceived: rateBetween(
      "browser getStats inbound-rtp packetsReceived",
      { packets: firstStats.packetsReceived, atMs: firstStats.timestampMs ?? Number.NaN },
      { packets: secondStats.packetsReceived, atMs: secondStats.timestampMs ?? Number.NaN },
      toBrowser,
    ),
    totals: [packetTotals(first), packetTotals(second)],
    windowEndMs,
  };
  for (const rate of [measurement.browserSent, measurement.sippSent, measurement.browserReceived])
    log(`  ${describeRate(rate)}`);
  return measurement;
}
