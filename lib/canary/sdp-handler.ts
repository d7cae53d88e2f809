import { randomBytes, randomInt } from "node:crypto";
import { parse, type SessionDescription, write } from "sdp-transform";
import type { BodyAndContentType, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from "sip.js";

// A SessionDescriptionHandler with no media: it writes the SDP a browser would (one audio m-line,
// UDP/TLS/RTP/SAVPF, ICE ufrag/pwd and one host candidate, a DTLS fingerprint, rtcp-mux, mid, opus and PCMU)
// and keeps what it sent and what it received, so the canary can judge what the gateway's RTPEngine made of it.
// The port is a random even one nobody listens on: no RTP flows, only the signalling is exercised.

/** What one side of the call sent and received (SDP bodies as text; null until there is one). */
export type SdpExchange = { sent: string | null; received: string | null };

type Codec = { payload: number; codec: string; rate: number; encoding?: number };
const OPUS: Codec = { payload: 111, codec: "opus", rate: 48000, encoding: 2 };
const PCMU: Codec = { payload: 0, codec: "PCMU", rate: 8000 };

function fingerprintHash(): string {
  return [...randomBytes(32)].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(":");
}

/** A browser-like audio description; `answerTo` makes it an answer (first common codec, DTLS setup active). */
export function webrtcDescription(address: string, answerTo: SessionDescription | null): string {
  const port = 2 * randomInt(20_000, 30_000);
  const offered = answerTo?.media.find((m) => m.type === "audio");
  const ours = [OPUS, PCMU];
  const codecs = offered
    ? ours.filter((c) => offered.rtp.some((r) => r.codec.toLowerCase() === c.codec.toLowerCase()))
    : ours;
  // an answer keeps the offer's payload numbers for the codec it picks
  const chosen = (offered ? codecs.slice(0, 1) : codecs).map((c) => ({
    ...c,
    payload: offered?.rtp.find((r) => r.codec.toLowerCase() === c.codec.toLowerCase())?.payload ?? c.payload,
  }));
  const description: SessionDescription = {
    version: 0,
    origin: {
      username: "-",
      sessionId: `${randomInt(1e9)}${randomInt(1e9)}`,
      sessionVersion: 2,
      netType: "IN",
      ipVer: 4,
      address: "127.0.0.1",
    },
    name: "-",
    timing: { start: 0, stop: 0 },
    groups: [{ type: "BUNDLE", mids: String(offered?.mid ?? "0") }],
    msidSemantic: { semantic: "WMS", token: "kamdash-canary" },
    media: [
      {
        type: "audio",
        port,
        protocol: "UDP/TLS/RTP/SAVPF",
        payloads: chosen.map((c) => c.payload).join(" "),
        connection: { version: 4, ip: address },
        rtcp: { port, netType: "IN", ipVer: 4, address },
        candidates: [
          {
            foundation: String(randomInt(1e9)),
            component: 1,
            transport: "udp",
            priority: 2122260223,
            ip: address,
            port,
            type: "host",
            generation: 0,
          },
        ],
        iceUfrag: randomBytes(3).toString("base64url").slice(0, 4),
        icePwd: randomBytes(18).toString("base64url").slice(0, 24),
        fingerprint: { type: "sha-256", hash: fingerprintHash() },
        setup: answerTo ? "active" : "actpass",
        mid: String(offered?.mid ?? "0"),
        direction: "sendrecv",
        rtcpMux: "rtcp-mux",
        rtp: chosen,
        fmtp: chosen.some((c) => c.codec === "opus")
          ? [
              {
                payload: chosen.find((c) => c.codec === "opus")?.payload ?? 111,
                config: "minptime=10;useinbandfec=1",
              },
            ]
          : [],
        ssrcs: [
          { id: randomInt(1, 2 ** 31), attribute: "cname", value: randomBytes(8).toString("base64url") },
        ],
      },
    ],
  };
  return write(description);
}

class CanarySdh implements SessionDescriptionHandler {
  constructor(
    private readonly exchange: SdpExchange,
    private readonly address: string,
  ) {}

  close(): void {}

  async getDescription(): Promise<BodyAndContentType> {
    const remote = this.exchange.received;
    const body = webrtcDescription(
      this.address,
      remote && this.exchange.sent === null ? parse(remote) : null,
    );
    this.exchange.sent = body;
    return { body, contentType: "application/sdp" };
  }

  hasDescription(contentType: string): boolean {
    return contentType === "application/sdp";
  }

  async setDescription(sdp: string): Promise<void> {
    const parsed = parse(sdp);
    if (!parsed.media.some((m) => m.type === "audio")) throw new Error("SDP without an audio m-line");
    this.exchange.received = sdp;
  }

  sendDtmf(): boolean {
    return false;
  }
}

/** A SIP.js factory whose handlers record into `exchange` (one exchange per UserAgent: one call per run). */
export function canarySdhFactory(
  exchange: SdpExchange,
  address = "127.0.0.1",
): SessionDescriptionHandlerFactory {
  return () => new CanarySdh(exchange, address);
}
