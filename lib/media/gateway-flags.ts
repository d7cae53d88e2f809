import type { SipTransport } from "@/lib/troubleshoot/bridge-direction";

// The RTPEngine flags the lab gateway passes to rtpengine_manage() for each bridge direction, as
// gateway/routes-media.cfg route[RTPENGINE] builds them (the seed article's table). Shown next to a one-way-audio
// flag so the on-call engineer sees what the gateway asked RTPEngine to do with that direction's SDP. This mirrors
// the shipped config: a gateway running another config may use other flags (the UI says "as gateway/… sets them").

const BASE = "replace-origin replace-session-connection";
const webrtc = (t: SipTransport) => t === "ws" || t === "wss";

/**
 * Flags for an SDP travelling from a `from`-transport party to a `to`-transport party. `offer`: whether that SDP
 * is an offer (DTLS=passive only on offers toward a browser). "trust-address" and "via-branch=extra" depend on
 * the message (NAT test, initial INVITE) and are left out.
 */
export function gatewayFlags(from: SipTransport, to: SipTransport, offer: boolean): string {
  const flags = [BASE];
  if (webrtc(from) && !webrtc(to)) flags.push("rtcp-mux-demux DTLS=off SDES-off ICE=remove RTP/AVP");
  else if (webrtc(to)) {
    if (!webrtc(from)) flags.push("rtcp-mux-offer");
    flags.push("generate-mid");
    if (offer) flags.push("DTLS=passive");
    flags.push("SDES-off ICE=force");
    if (!webrtc(from)) flags.push("UDP/TLS/RTP/SAVPF");
  }
  return flags.join(" ");
}

/** The flags of both SDPs of a call set up caller → callee: the offer toward the callee and the answer back. */
export function callFlags(caller: SipTransport, callee: SipTransport): { offer: string; answer: string } {
  return { offer: gatewayFlags(caller, callee, true), answer: gatewayFlags(callee, caller, false) };
}
