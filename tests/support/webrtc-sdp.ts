import { randomBytes, randomInt } from "node:crypto";
import { parseSdp } from "./sdp";

// SDP as a browser (Chrome) sends it after ICE gathering: one audio m-line, DTLS-SRTP, ICE, rtcp-mux, mid.

function iceCredentials(): { ufrag: string; pwd: string } {
  return {
    ufrag: randomBytes(3).toString("base64url").slice(0, 4),
    pwd: randomBytes(18).toString("base64url").slice(0, 24),
  };
}

function fingerprint(): string {
  const bytes = [...randomBytes(32)].map((b) => b.toString(16).toUpperCase().padStart(2, "0"));
  return `sha-256 ${bytes.join(":")}`;
}

function sessionHeader(): string[] {
  const sessionId = `${randomInt(1e9)}${randomInt(1e9)}`;
  return [
    "v=0",
    `o=- ${sessionId} 2 IN IP4 127.0.0.1`,
    "s=-",
    "t=0 0",
    // Chrome puts a BUNDLE group even with bundlePolicy "balanced"; a single m-line keeps it harmless
    "a=group:BUNDLE 0",
    "a=extmap-allow-mixed",
    "a=msid-semantic: WMS stream0",
  ];
}

function audioTransportLines(port: number, setup: "actpass" | "active" | "passive", mid: string): string[] {
  const { ufrag, pwd } = iceCredentials();
  const foundation = randomInt(1e9);
  return [
    "c=IN IP4 127.0.0.1",
    `a=rtcp:${port} IN IP4 127.0.0.1`,
    `a=candidate:${foundation} 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0 network-id 1`,
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    "a=ice-options:trickle",
    `a=fingerprint:${fingerprint()}`,
    `a=setup:${setup}`,
    `a=mid:${mid}`,
    "a=sendrecv",
    "a=msid:stream0 track0",
    "a=rtcp-mux",
  ];
}

const codecLines: Record<number, string[]> = {
  111: ["a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1"],
  0: ["a=rtpmap:0 PCMU/8000"],
  8: ["a=rtpmap:8 PCMA/8000"],
  126: ["a=rtpmap:126 telephone-event/8000"],
};

function randomMediaPort(): number {
  return 2 * randomInt(20_000, 30_000);
}

/** A WebRTC offer like Chrome's after gathering one host candidate on 127.0.0.1. */
export function webrtcOffer(port = randomMediaPort()): string {
  const payloads = [111, 0, 8, 126];
  const ssrc = randomInt(1, 2 ** 31);
  const lines = [
    ...sessionHeader(),
    `m=audio ${port} UDP/TLS/RTP/SAVPF ${payloads.join(" ")}`,
    ...audioTransportLines(port, "actpass", "0"),
    ...payloads.flatMap((pt) => codecLines[pt] ?? []),
    `a=ssrc:${ssrc} cname:${randomBytes(8).toString("base64url")}`,
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** A WebRTC answer to `offerSdp`: first supported codec, DTLS role opposite to the offer's. */
export function webrtcAnswer(offerSdp: string, port = randomMediaPort()): string {
  const offer = parseSdp(offerSdp);
  const audio = offer.media.find((m) => m.type === "audio");
  if (!audio) throw new Error("offer without an audio m-line");
  const payload = audio.formats.map(Number).find((pt) => pt in codecLines && pt !== 126);
  if (payload === undefined) throw new Error(`no common codec in offer formats ${audio.formats.join(" ")}`);
  const offeredSetup = audio.attribute("setup") ?? offer.attribute("setup");
  const setup = offeredSetup === "active" ? "passive" : "active";
  const mid = audio.attribute("mid") ?? "0";
  const payloads = audio.formats.map(Number).includes(126) ? [payload, 126] : [payload];
  const transport = audioTransportLines(port, setup, mid).filter(
    (line) => line !== "a=ice-options:trickle" && (line !== "a=rtcp-mux" || audio.hasAttribute("rtcp-mux")),
  );
  const header = sessionHeader().filter(
    (line) => !line.startsWith("a=group:BUNDLE") || offer.attribute("group") !== undefined,
  );
  const lines = [
    ...header.map((line) => (line.startsWith("a=group:BUNDLE") ? `a=group:BUNDLE ${mid}` : line)),
    `m=audio ${port} ${audio.protocol} ${payloads.join(" ")}`,
    ...transport,
    ...payloads.flatMap((pt) => codecLines[pt] ?? []),
  ];
  return `${lines.join("\r\n")}\r\n`;
}
