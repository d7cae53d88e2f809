import { randomBytes } from "node:crypto";

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/**
 * The fixtures' WebRTC-style audio offer/answer: ICE credentials, a host candidate, DTLS fingerprint, rtcp-mux.
 * Kept apart from tests/support/webrtc-sdp.ts (Chrome's full offer) so re-captured RTPEngine fixtures stay alike.
 */
export function captureSdp(setup: "actpass" | "active"): string {
  const fingerprint = Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(
    ":",
  );
  return [
    "v=0",
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    "s=-",
    "t=0 0",
    "a=msid-semantic: WMS",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8",
    "c=IN IP4 127.0.0.1",
    "a=rtcp:9 IN IP4 0.0.0.0",
    `a=ice-ufrag:${hex(4)}`,
    `a=ice-pwd:${hex(12)}`,
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${setup}`,
    "a=mid:0",
    "a=sendrecv",
    "a=rtcp-mux",
    "a=rtpmap:111 opus/48000/2",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    `a=candidate:1 1 udp 2122260223 127.0.0.1 ${40000 + Math.floor(Math.random() * 9000)} typ host generation 0`,
    "",
  ].join("\r\n");
}
