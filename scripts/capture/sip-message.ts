// Minimal SIP message parsing/building and digest for the fixture capture script (not a general SIP stack).
import { createHash, randomBytes } from "node:crypto";

export interface SipMessage {
  /** "REGISTER", "INVITE"… for requests; undefined for responses. */
  method?: string;
  requestUri?: string;
  status?: number;
  reason?: string;
  /** Lower-case header name → values in order (repeated headers and comma lists kept as separate entries). */
  headers: Map<string, string[]>;
  body: string;
}

const COMPACT: Record<string, string> = {
  v: "via",
  f: "from",
  t: "to",
  i: "call-id",
  m: "contact",
  l: "content-length",
  c: "content-type",
};

export function parseSipMessage(text: string): SipMessage {
  const split = text.indexOf("\r\n\r\n");
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? "" : text.slice(split + 4);
  const lines = head.split("\r\n");
  const first = lines.shift() ?? "";
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const rawName = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[rawName] ?? rawName;
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name) ?? [];
    list.push(value);
    headers.set(name, list);
  }
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first);
  if (response) return { status: Number(response[1]), reason: response[2], headers, body };
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first);
  return { method: request?.[1], requestUri: request?.[2], headers, body };
}

export function header(message: SipMessage, name: string): string | undefined {
  return message.headers.get(name.toLowerCase())?.[0];
}

export function headerAll(message: SipMessage, name: string): string[] {
  // Record-Route / Via may carry several comma-separated entries in one header line.
  return (message.headers.get(name.toLowerCase()) ?? []).flatMap((value) =>
    value.split(/,(?=\s*<)/).map((v) => v.trim()),
  );
}

export function buildSipMessage(firstLine: string, headers: [string, string][], body = ""): string {
  const lines = [firstLine, ...headers.map(([name, value]) => `${name}: ${value}`)];
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString("hex");
}

export function tagOf(headerValue: string | undefined): string | undefined {
  return /;\s*tag=([^;>\s]+)/i.exec(headerValue ?? "")?.[1];
}

export function uriOf(headerValue: string | undefined): string | undefined {
  return /<([^>]+)>/.exec(headerValue ?? "")?.[1] ?? headerValue?.split(";")[0]?.trim();
}

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

/** Builds an Authorization / Proxy-Authorization value answering a WWW-/Proxy-Authenticate challenge. */
export function digestAnswer(
  challenge: string,
  credentials: { username: string; password: string },
  method: string,
  uri: string,
): string {
  const param = (name: string): string | undefined =>
    new RegExp(`${name}="?([^",]+)"?`, "i").exec(challenge)?.[1];
  const realm = param("realm") ?? "";
  const nonce = param("nonce") ?? "";
  const opaque = param("opaque");
  const qopOffered = param("qop");
  const ha1 = md5(`${credentials.username}:${realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const parts = [
    `username="${credentials.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${uri}"`,
    "algorithm=MD5",
  ];
  if (qopOffered?.split(/\s*,\s*/).includes("auth")) {
    const cnonce = randomToken(6);
    const nc = "00000001";
    parts.push(
      `response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`,
      "qop=auth",
      `nc=${nc}`,
      `cnonce="${cnonce}"`,
    );
  } else {
    parts.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  if (opaque) parts.push(`opaque="${opaque}"`);
  return `Digest ${parts.join(", ")}`;
}

/** A WebRTC-style audio offer/answer: ICE credentials, a host candidate, DTLS fingerprint, rtcp-mux. */
export function webrtcSdp(sessionId: string, setup: "actpass" | "active"): string {
  const fingerprint = Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(
    ":",
  );
  return [
    "v=0",
    `o=- ${sessionId} 2 IN IP4 127.0.0.1`,
    "s=-",
    "t=0 0",
    "a=msid-semantic: WMS",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8",
    "c=IN IP4 127.0.0.1",
    "a=rtcp:9 IN IP4 0.0.0.0",
    `a=ice-ufrag:${randomToken(4)}`,
    `a=ice-pwd:${randomToken(12)}`,
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
