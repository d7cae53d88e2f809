import { expect } from "vitest";

// SDP parsing and the two profiles the gateway must produce (seed article, RTPENGINE route tables).

export interface SdpAttributes {
  attributes: { name: string; value: string | undefined }[];
  attribute(name: string): string | undefined;
  attributeValues(name: string): string[];
  hasAttribute(name: string): boolean;
}

export interface SdpMedia extends SdpAttributes {
  type: string;
  port: number;
  protocol: string;
  formats: string[];
  connection: string | undefined;
}

export interface Sdp extends SdpAttributes {
  connection: string | undefined;
  media: SdpMedia[];
}

function attributeAccessors(attributes: { name: string; value: string | undefined }[]): SdpAttributes {
  return {
    attributes,
    attribute: (name) => attributes.find((a) => a.name === name)?.value,
    attributeValues: (name) => attributes.filter((a) => a.name === name).map((a) => a.value ?? ""),
    hasAttribute: (name) => attributes.some((a) => a.name === name),
  };
}

export function parseSdp(text: string): Sdp {
  const sessionAttributes: { name: string; value: string | undefined }[] = [];
  let sessionConnection: string | undefined;
  const media: SdpMedia[] = [];
  let current:
    | { fields: Omit<SdpMedia, keyof SdpAttributes>; attributes: SdpMedia["attributes"] }
    | undefined;
  const flush = () => {
    if (current) media.push({ ...current.fields, ...attributeAccessors(current.attributes) });
  };
  for (const line of text.split(/\r?\n/)) {
    const type = line[0];
    const value = line.slice(2);
    if (line[1] !== "=") continue;
    if (type === "m") {
      flush();
      const [mediaType = "", port = "0", protocol = "", ...formats] = value.split(" ");
      current = {
        fields: { type: mediaType, port: Number(port), protocol, formats, connection: undefined },
        attributes: [],
      };
    } else if (type === "c") {
      if (current) current.fields.connection = value;
      else sessionConnection = value;
    } else if (type === "a") {
      const colon = value.indexOf(":");
      const attribute =
        colon === -1
          ? { name: value, value: undefined }
          : { name: value.slice(0, colon), value: value.slice(colon + 1) };
      (current ? current.attributes : sessionAttributes).push(attribute);
    }
  }
  flush();
  return { connection: sessionConnection, media, ...attributeAccessors(sessionAttributes) };
}

function audioOf(sdp: Sdp, label: string): SdpMedia {
  const audio = sdp.media.find((m) => m.type === "audio");
  expect(audio, `${label}: SDP has an audio m-line`).toBeDefined();
  return audio as SdpMedia;
}

/** What a WS/WSS callee (a browser) must receive: DTLS-SRTP, ICE, rtcp-mux, mid. */
export function expectWebRtcProfile(sdpText: string, label: string, expectedSetup: readonly string[]): void {
  const sdp = parseSdp(sdpText);
  const audio = audioOf(sdp, label);
  expect(audio.protocol, `${label}: m= protocol`).toBe("UDP/TLS/RTP/SAVPF");
  expect(audio.port, `${label}: m= port`).toBeGreaterThan(0);
  const candidates = audio.attributeValues("candidate");
  expect(candidates.length, `${label}: ICE candidates`).toBeGreaterThan(0);
  for (const candidate of candidates)
    expect(candidate, `${label}: candidate`).toMatch(/ udp \d+ \S+ \d+ typ /i);
  expect(audio.attribute("ice-ufrag") ?? sdp.attribute("ice-ufrag"), `${label}: ice-ufrag`).toBeTruthy();
  expect(audio.attribute("ice-pwd") ?? sdp.attribute("ice-pwd"), `${label}: ice-pwd`).toBeTruthy();
  const fingerprint = audio.attribute("fingerprint") ?? sdp.attribute("fingerprint");
  expect(fingerprint, `${label}: a=fingerprint`).toMatch(/^sha-\d+ ([0-9A-F]{2}:)+[0-9A-F]{2}$/i);
  const setup = audio.attribute("setup") ?? sdp.attribute("setup");
  expect(expectedSetup, `${label}: a=setup:${setup}`).toContain(setup);
  expect(audio.hasAttribute("rtcp-mux"), `${label}: a=rtcp-mux`).toBe(true);
  expect(audio.attribute("mid"), `${label}: a=mid`).toBeTruthy();
  expect(audio.hasAttribute("crypto"), `${label}: no SDES a=crypto (SDES-off)`).toBe(false);
}

/** What a UDP/TCP/TLS SIP phone must receive: plain RTP, no ICE, no DTLS, RTCP not muxed. */
export function expectPlainRtpProfile(sdpText: string, label: string): void {
  const sdp = parseSdp(sdpText);
  const audio = audioOf(sdp, label);
  expect(audio.protocol, `${label}: m= protocol`).toBe("RTP/AVP");
  expect(audio.port, `${label}: m= port`).toBeGreaterThan(0);
  const all = [...sdp.attributes, ...audio.attributes].map((a) => a.name);
  for (const forbidden of [
    "candidate",
    "ice-ufrag",
    "ice-pwd",
    "ice-options",
    "fingerprint",
    "setup",
    "rtcp-mux",
  ]) {
    expect(all, `${label}: no a=${forbidden}`).not.toContain(forbidden);
  }
  expect(all, `${label}: no SDES a=crypto`).not.toContain("crypto");
}

/** The media address the SDP announces (RTPEngine's, once the gateway rewrote it). */
export function mediaAddress(sdpText: string): { ip: string | undefined; port: number } {
  const sdp = parseSdp(sdpText);
  const audio = sdp.media.find((m) => m.type === "audio");
  const connection = audio?.connection ?? sdp.connection;
  return { ip: connection?.split(" ")[2], port: audio?.port ?? 0 };
}
