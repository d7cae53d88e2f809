// RTPEngine NG `query` readings of one call, taken inside the test's namespace (see ng-query.ts) and read with
// lib's own schema and per-leg sums (lib/media/call-media.ts), so the suite checks the code the dashboard runs.
import path from "node:path";
import { z } from "zod";
import { callMediaLegs, type MediaLeg } from "../../lib/media/call-media";
import { type NgQueryReply, ngQueryReplySchema } from "../../lib/rtpengine/ng-schemas";
import type { Netns } from "../support/netns";
import { nodeArgsForTs } from "./ts-runner";

const NG_QUERY_SCRIPT = path.join(import.meta.dirname, "ng-query.ts");

const outputSchema = z.object({
  readings: z.array(z.object({ atMs: z.number(), reply: ngQueryReplySchema })).length(2),
});

export interface CallReading {
  /** performance.now() of the child process, halfway between command and reply (ms). */
  atMs: number;
  reply: NgQueryReply;
  /** callMediaLegs(reply): per party, the RTP packets RTPEngine received from it (RTP streams only). */
  legs: MediaLeg[];
}

/** Two `query` readings of the call, windowMs apart (one child process, so both share one clock). */
export async function readCallTwice(
  netns: Netns,
  ngAddress: string,
  callId: string,
  windowMs: number,
): Promise<[CallReading, CallReading]> {
  const { stdout } = await netns.run(
    process.execPath,
    nodeArgsForTs(NG_QUERY_SCRIPT, ngAddress, callId, String(windowMs)),
    windowMs + 30_000,
  );
  const parsed = outputSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success)
    throw new Error(
      `unexpected NG query output for ${callId}: ${parsed.error.message}\n${stdout.slice(0, 2_000)}`,
    );
  const [first, second] = parsed.data.readings.map((reading) => ({
    ...reading,
    legs: callMediaLegs(reading.reply),
  }));
  if (!first || !second) throw new Error("ng-query.ts printed fewer than 2 readings");
  return [first, second];
}

/** The SIPp side's tags contain "SIPpTag" (see the scenarios); the one other tagged leg is the browser's. */
export function splitLegs(reading: CallReading): { browser: MediaLeg; sipp: MediaLeg } {
  const tagged = reading.legs.filter((leg) => leg.tag !== "" && !leg.tag.startsWith("<untagged"));
  const sipp = tagged.filter((leg) => leg.tag.includes("SIPpTag"));
  const browser = tagged.filter((leg) => !leg.tag.includes("SIPpTag"));
  if (sipp.length !== 1 || browser.length !== 1 || !sipp[0] || !browser[0])
    throw new Error(
      `expected one SIPp and one browser leg, got tags ${reading.legs.map((l) => l.tag).join(", ")}`,
    );
  return { browser: browser[0], sipp: sipp[0] };
}

/**
 * Packets RTPEngine counted per stream kind in one reading: `legsRtp` is what callMediaLegs summed over the legs,
 * `totalsRtp`/`totalsRtcp` are RTPEngine's own call totals (it adds a stream flagged RTP to the RTP total, a
 * stream flagged only RTCP to the RTCP total), `rtcpStreams` sums the query's RTCP-only streams.
 */
export function packetTotals(reading: CallReading): {
  legsRtp: number;
  totalsRtp: number;
  totalsRtcp: number;
  rtcpStreams: number;
} {
  const streams = Object.values(reading.reply.tags).flatMap((tag) =>
    (tag.medias ?? []).flatMap((media) => media.streams),
  );
  const rtcpOnly = streams.filter(
    (s) => (s.flags ?? []).includes("RTCP") && !(s.flags ?? []).includes("RTP"),
  );
  return {
    legsRtp: reading.legs.reduce((sum, leg) => sum + leg.received.packets, 0),
    totalsRtp: reading.reply.totals.RTP.packets,
    totalsRtcp: reading.reply.totals.RTCP.packets,
    rtcpStreams: rtcpOnly.reduce((sum, s) => sum + s.stats.packets, 0),
  };
}
