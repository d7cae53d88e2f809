import { type MediaDescription, parse } from "sdp-transform";
import type { SdpCheck, SdpChecks, SdpLeg } from "./schema";

// Judges the SDP of a canary call against what the gateway must make of it (gateway/routes-media.cfg, the seed
// article's table of RTPEngine flags per bridge direction):
//   toward a WebRTC leg (ws/wss): "replace-origin replace-session-connection generate-mid SDES-off ICE=force"
//   (+ DTLS=passive on offers; + "rtcp-mux-offer … UDP/TLS/RTP/SAVPF" when the other side is plain RTP).
// So whatever reaches a WebRTC leg has RTPEngine's own media port and ICE candidates, RTPEngine's own ICE
// credentials and DTLS fingerprint (media is relayed, not passed end to end), UDP/TLS/RTP/SAVPF, rtcp-mux, a mid,
// no SDES a=crypto, and one of the codecs the sender offered. The canary's legs are WebRTC on its side, so the
// answer to the caller is always judged; the offer to the callee only when the callee is a probe user.

/** The SDP bodies the caller and callee sent and received (null when not seen, e.g. an operator's echo). */
export type SdpSeen = {
  /** Bridge direction "<from>_<to>", e.g. "wss_wss" or "wss_udp". */
  direction: string;
  /** The callee is a probe user, so what it received is seen and judged too. */
  calleeIsProbe: boolean;
  offerSent: string | null;
  offerReceived: string | null;
  answerSent: string | null;
  answerReceived: string | null;
};

/**
 * The bridge direction of a canary call: from the caller's WebSocket scheme to the callee's transport ("wss" for a
 * probe user on the same listener; from the operator URI's transport parameter or scheme otherwise).
 */
export function calleeDirection(url: string, calleeUri: string | null): string {
  const from = url.startsWith("wss:") ? "wss" : "ws";
  if (calleeUri === null) return `${from}_${from}`;
  const transport = /;transport=([a-z]+)/i.exec(calleeUri)?.[1]?.toLowerCase();
  if (transport) return `${from}_${transport}`;
  return `${from}_${calleeUri.startsWith("sips:") ? "tls" : "udp"}`;
}

function audio(sdp: string | null): MediaDescription | null {
  if (sdp === null) return null;
  try {
    return parse(sdp).media.find((m) => m.type === "audio") ?? null;
  } catch {
    return null;
  }
}

function connectionAddress(sdp: string | null, media: MediaDescription): string | null {
  if (media.connection?.ip) return media.connection.ip;
  if (sdp === null) return null;
  return parse(sdp).connection?.ip ?? null;
}

/** The checks of one leg: `received` is what the gateway delivered, `sent` what the other side put in (or null). */
export function judgeLeg(leg: SdpLeg, sentSdp: string | null, receivedSdp: string | null): SdpCheck[] {
  const received = audio(receivedSdp);
  if (!received) {
    return [
      {
        leg,
        name: "audio",
        ok: false,
        expected: "an SDP with an audio m-line",
        actual: receivedSdp === null ? null : "no audio m-line",
      },
    ];
  }
  const sent = audio(sentSdp);
  const check = (name: string, ok: boolean, expected: string, actual: string | null): SdpCheck => ({
    leg,
    name,
    ok,
    expected,
    actual,
  });
  const address = connectionAddress(receivedSdp, received);
  const candidates = received.candidates ?? [];
  const candidateText = candidates.map((c) => `${c.ip}:${c.port}`).join(" ") || null;
  const codecs = received.rtp.map((r) => r.codec);
  const sentCodecs = new Set((sent?.rtp ?? []).map((r) => r.codec.toLowerCase()));
  const setup = received.setup ?? null;
  const rewritten =
    received.port > 0 &&
    (sent === null || received.port !== sent.port || address !== connectionAddress(sentSdp, sent)) &&
    candidates.length > 0 &&
    candidates.every((c) => c.ip === address && (c.component !== 1 || c.port === received.port));
  return [
    check("profile", received.protocol === "UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVPF", received.protocol),
    check(
      "media_rewritten",
      rewritten,
      sent
        ? `RTPEngine's c=/m= address and candidates, not the sender's ${connectionAddress(sentSdp, sent)}:${sent.port}`
        : "RTPEngine's c=/m= address with its candidates",
      `${address}:${received.port}; candidates ${candidateText ?? "none"}`,
    ),
    check(
      "ice",
      Boolean(received.iceUfrag && received.icePwd) &&
        candidates.length > 0 &&
        (sent === null || received.iceUfrag !== sent.iceUfrag),
      sent
        ? "RTPEngine's own ice-ufrag/ice-pwd and candidates (ICE=force)"
        : "ice-ufrag, ice-pwd and candidates",
      received.iceUfrag ? `ufrag ${received.iceUfrag}, ${candidates.length} candidates` : null,
    ),
    check(
      "fingerprint",
      Boolean(received.fingerprint) &&
        (sent === null || received.fingerprint?.hash !== sent.fingerprint?.hash),
      sent ? "RTPEngine's own DTLS fingerprint" : "a DTLS fingerprint",
      received.fingerprint ? `${received.fingerprint.type} ${received.fingerprint.hash.slice(0, 11)}…` : null,
    ),
    check("rtcp_mux", received.rtcpMux === "rtcp-mux", "a=rtcp-mux", received.rtcpMux ?? null),
    check(
      "mid",
      received.mid !== undefined,
      "a=mid (generate-mid)",
      received.mid === undefined ? null : String(received.mid),
    ),
    check(
      "setup",
      leg === "offer_to_callee"
        ? setup === "actpass" || setup === "passive"
        : setup === "active" || setup === "passive",
      leg === "offer_to_callee"
        ? "a=setup actpass or passive (an offer)"
        : "a=setup active or passive (an answer)",
      setup,
    ),
    check(
      "no_sdes",
      (received.crypto ?? []).length === 0,
      "no a=crypto (SDES-off)",
      received.crypto?.length ? `${received.crypto.length} a=crypto` : "none",
    ),
    check(
      "codec",
      codecs.length > 0 && (sentCodecs.size === 0 || codecs.some((c) => sentCodecs.has(c.toLowerCase()))),
      sent ? `one of the sender's codecs (${[...sentCodecs].join(", ")})` : "at least one codec",
      codecs.join(" ") || null,
    ),
  ];
}

/**
 * Every check of a call: the offer the callee received (only when the callee is a probe user) and the answer the
 * caller received. A check with ok false names what was expected and what was seen.
 */
export function judgeSdp(seen: SdpSeen): SdpChecks {
  const checks = [
    ...(seen.calleeIsProbe ? judgeLeg("offer_to_callee", seen.offerSent, seen.offerReceived) : []),
    ...judgeLeg("answer_to_caller", seen.answerSent, seen.answerReceived),
  ];
  return { direction: seen.direction, checks };
}
