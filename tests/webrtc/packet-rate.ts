// The packet-rate standard the media suite holds every "audio both ways" direction to.
import { parse } from "sdp-transform";

/** RFC 3551 §4.5: G.711 (PCMU/PCMA) is packetized at 20 ms unless a=ptime says otherwise. */
export const DEFAULT_PTIME_MS = 20;

/**
 * Accepted band around the expected rate, as a fraction of it. A 4 s window at 50 packets/s holds 200 packets;
 * what moves an honest count away from that is small:
 * - window edges: each reading can fall just before or just after a packet, ±1 packet per edge (±1 %);
 * - RTCP: on an rtcp-mux stream (the browser's leg) RTPEngine counts RTCP with RTP, about 1 packet per 5 s
 *   (+0.5 %); the query's separate RTCP streams are not summed (checked on its own);
 * - scheduling: Chromium's audio thread and SIPp's pcap player send on timers, and the NG readings run in a
 *   child process, so a burst of a few packets can land on either side of an edge (a few %).
 * ±20 % leaves room for that and still fails a silent sender (0), a pcap played at 30 ms frames (×0.67) or one
 * sending two streams or 10 ms frames (×2).
 */
export const RATE_BAND = { low: 0.8, high: 1.2 } as const;

/** a=ptime (ms) of the first audio m-section of an SDP; null when it has none (or no audio). */
export function audioPtimeMs(sdp: string): number | null {
  const audio = parse(sdp).media.find((media) => media.type === "audio");
  const ptime = audio?.ptime;
  return typeof ptime === "number" && ptime > 0 ? ptime : null;
}

/** Packets per second a G.711 sender produces at the given ptime (the default when the SDP names none). */
export function expectedPacketRate(ptimeMs: number | null): number {
  return 1_000 / (ptimeMs ?? DEFAULT_PTIME_MS);
}

export interface CounterReading {
  /** Packets counted so far (cumulative). */
  packets: number;
  /** When the counter was read, ms on the clock of whoever read it. */
  atMs: number;
}

export interface MeasuredRate {
  /** What was counted, e.g. "RTPEngine: RTP from the browser". */
  label: string;
  packets: number;
  seconds: number;
  /** packets / seconds; NaN when the window is empty. */
  perSecond: number;
  expected: number;
}

/** Δpackets/Δt between two readings of one cumulative counter. */
export function rateBetween(
  label: string,
  first: CounterReading,
  second: CounterReading,
  expected: number,
): MeasuredRate {
  const packets = second.packets - first.packets;
  const seconds = (second.atMs - first.atMs) / 1_000;
  return { label, packets, seconds, perSecond: seconds > 0 ? packets / seconds : Number.NaN, expected };
}

export function describeRate(rate: MeasuredRate): string {
  const ratio = rate.perSecond / rate.expected;
  return `${rate.label}: ${rate.packets} packets in ${rate.seconds.toFixed(3)} s = ${rate.perSecond.toFixed(1)}/s (expected ${rate.expected.toFixed(1)}/s, ×${ratio.toFixed(2)})`;
}

/** True when the rate lies inside RATE_BAND around the expected rate. */
export function withinBand(rate: MeasuredRate): boolean {
  return rate.perSecond >= rate.expected * RATE_BAND.low && rate.perSecond <= rate.expected * RATE_BAND.high;
}
