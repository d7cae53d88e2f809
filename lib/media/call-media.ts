import type { NgQueryReply } from "@/lib/rtpengine/ng-schemas";

// One call's media as RTPEngine's NG `query` reports it, per leg (one per SIP tag): what RTPEngine negotiated with
// that party (profile, rtcp-mux, DTLS role, ICE) and the packets it received FROM that party, i.e. the party's
// sending direction. Only RTP streams are summed; a separate RTCP stream (no rtcp-mux) is left out. With rtcp-mux
// the one stream carries both, and RTPEngine counts them together (about 1 RTCP packet per 5 s of 50 RTP/s).

export type Counters = { packets: number; bytes: number; errors: number };

export type MediaLeg = {
  /** The SIP tag of the party (From-tag of the caller, To-tag of the callee). */
  tag: string;
  /** Transport profile RTPEngine speaks with this party: "RTP/AVP" (plain), "UDP/TLS/RTP/SAVPF" (WebRTC)… */
  protocol: string | null;
  rtcpMux: boolean;
  /** DTLS role RTPEngine took toward the party; null without DTLS. */
  dtlsRole: "active" | "passive" | null;
  srtp: "DTLS-SRTP" | "SDES" | null;
  ice: boolean;
  iceControlling: boolean;
  /** Where RTPEngine sends this party's media (what the SDP or ICE gave it), "ip:port"; null before it knows. */
  remote: string | null;
  localPort: number | null;
  /** RTP received from the party. */
  received: Counters;
  /** Unix seconds of the last packet from the party (RTPEngine's "last packet"); null when none was seen. */
  lastPacketS: number | null;
  /**
   * The party's SDP lets it send: RTPEngine's media flag "send" (a=sendrecv/sendonly). A held (sendonly toward
   * it) or recvonly party lacks it. True when RTPEngine gives no media flags at all (nothing says otherwise).
   */
  sending: boolean;
};

const zero = (): Counters => ({ packets: 0, bytes: 0, errors: 0 });

/** The legs of one call, in RTPEngine's tag order. Media of type other than audio/video are skipped. */
export function callMediaLegs(reply: NgQueryReply): MediaLeg[] {
  return Object.entries(reply.tags).map(([key, tag]) => {
    const medias = (tag.medias ?? []).filter((m) => m.type === "audio" || m.type === "video");
    const flags = new Set(medias.flatMap((m) => m.flags ?? []));
    const received = zero();
    let remote: string | null = null;
    let localPort: number | null = null;
    let lastPacketS: number | null = null;
    for (const media of medias) {
      for (const stream of media.streams) {
        const streamFlags = stream.flags ?? [];
        if (!streamFlags.includes("RTP")) continue;
        received.packets += stream.stats.packets;
        received.bytes += stream.stats.bytes;
        received.errors += stream.stats.errors;
        localPort ??= stream["local port"] ?? null;
        const endpoint = stream.endpoint;
        if (remote === null && endpoint?.address && endpoint.port)
          remote = `${endpoint.address}:${endpoint.port}`;
        // RTPEngine sets "last packet" to the stream's creation time before any packet arrives
        if (stream.stats.packets > 0 && stream["last packet"] !== undefined)
          lastPacketS = Math.max(lastPacketS ?? 0, stream["last packet"]);
      }
    }
    return {
      tag: tag.tag || key,
      protocol: medias[0]?.protocol ?? null,
      rtcpMux: flags.has("rtcp-mux"),
      dtlsRole: flags.has("DTLS role active") ? "active" : flags.has("DTLS role passive") ? "passive" : null,
      srtp: flags.has("DTLS-SRTP") ? "DTLS-SRTP" : flags.has("SDES") ? "SDES" : null,
      ice: flags.has("ICE"),
      iceControlling: flags.has("ICE controlling"),
      remote,
      localPort,
      received,
      lastPacketS,
      sending: medias.every((m) => m.flags === undefined) || flags.has("send"),
    };
  });
}
