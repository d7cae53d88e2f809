// Minimal SIP message model: parse, serialize and read headers. Enough for a test UA, not a full stack.

export interface SipHeader {
  name: string;
  value: string;
}

export interface SipRequest {
  kind: "request";
  method: string;
  uri: string;
  headers: SipHeader[];
  body: string;
}

export interface SipResponse {
  kind: "response";
  status: number;
  reason: string;
  headers: SipHeader[];
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const compactForms: Record<string, string> = {
  v: "via",
  f: "from",
  t: "to",
  i: "call-id",
  m: "contact",
  l: "content-length",
  c: "content-type",
  k: "supported",
  s: "subject",
  e: "content-encoding",
};

const canonicalNames: Record<string, string> = {
  "call-id": "Call-ID",
  cseq: "CSeq",
  "www-authenticate": "WWW-Authenticate",
  "record-route": "Record-Route",
};

function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return compactForms[lower] ?? lower;
}

function displayName(lowerName: string): string {
  return (
    canonicalNames[lowerName] ??
    lowerName.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase())
  );
}

export function parseSipMessage(text: string): SipMessage {
  const split = text.indexOf("\r\n\r\n");
  const head = split === -1 ? text : text.slice(0, split);
  const rawBody = split === -1 ? "" : text.slice(split + 4);
  const lines = head.split("\r\n").reduce<string[]>((acc, line) => {
    // header folding: a line starting with whitespace continues the previous one
    if (/^[ \t]/.test(line) && acc.length > 0) acc[acc.length - 1] += ` ${line.trim()}`;
    else acc.push(line);
    return acc;
  }, []);
  const startLine = lines.shift() ?? "";
  const headers: SipHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.push({ name: normalizeName(line.slice(0, colon)), value: line.slice(colon + 1).trim() });
  }
  const lengthHeader = headers.find((h) => h.name === "content-length");
  const body = lengthHeader
    ? Buffer.from(rawBody, "utf8").subarray(0, Number(lengthHeader.value)).toString("utf8")
    : rawBody;
  const statusMatch = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
  if (statusMatch) {
    return { kind: "response", status: Number(statusMatch[1]), reason: statusMatch[2] ?? "", headers, body };
  }
  const requestMatch = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (!requestMatch?.[1] || !requestMatch[2]) throw new Error(`not a SIP start line: ${startLine}`);
  return { kind: "request", method: requestMatch[1], uri: requestMatch[2], headers, body };
}

export function serializeSipMessage(message: SipMessage): string {
  const startLine =
    message.kind === "request"
      ? `${message.method} ${message.uri} SIP/2.0`
      : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [startLine];
  for (const header of message.headers) {
    if (header.name === "content-length") continue;
    lines.push(`${displayName(header.name)}: ${header.value}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(message.body, "utf8")}`);
  return `${lines.join("\r\n")}\r\n\r\n${message.body}`;
}

/** Splits a header value on top-level commas (not inside quotes or <...>). */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inQuotes = false;
  let inAngle = false;
  for (const char of value) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && char === "<") inAngle = true;
    else if (!inQuotes && char === ">") inAngle = false;
    if (char === "," && !inQuotes && !inAngle) {
      if (current.trim()) parts.push(current.trim());
      current = "";
    } else current += char;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** All values of a header, comma-separated lists expanded (for Via, Route, Record-Route, Contact). */
export function headerValues(message: SipMessage, name: string): string[] {
  const wanted = normalizeName(name);
  return message.headers.filter((h) => h.name === wanted).flatMap((h) => splitHeaderList(h.value));
}

export function header(message: SipMessage, name: string): string | undefined {
  const wanted = normalizeName(name);
  return message.headers.find((h) => h.name === wanted)?.value;
}

export function requireHeader(message: SipMessage, name: string): string {
  const value = header(message, name);
  if (value === undefined) throw new Error(`missing ${name} header in ${describe(message)}`);
  return value;
}

export function describe(message: SipMessage): string {
  return message.kind === "request"
    ? `${message.method} ${message.uri}`
    : `${message.status} ${message.reason}`;
}

export interface NameAddr {
  uri: string;
  params: Map<string, string>;
}

/** Parses `"Name" <sip:uri;uparam>;tag=x` or `sip:uri;tag=x` into the URI and the header parameters. */
export function parseNameAddr(value: string): NameAddr {
  const open = value.indexOf("<");
  const close = value.indexOf(">", open);
  let uri: string;
  let rest: string;
  if (open !== -1 && close !== -1) {
    uri = value.slice(open + 1, close);
    rest = value.slice(close + 1);
  } else {
    const semicolon = value.indexOf(";");
    uri = semicolon === -1 ? value.trim() : value.slice(0, semicolon).trim();
    rest = semicolon === -1 ? "" : value.slice(semicolon);
  }
  const params = new Map<string, string>();
  for (const part of rest.split(";")) {
    const [key, val] = part.split("=", 2);
    if (key?.trim()) params.set(key.trim().toLowerCase(), val?.trim() ?? "");
  }
  return { uri, params };
}

export function tagOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseNameAddr(value).params.get("tag");
}

export function cseqOf(message: SipMessage): { seq: number; method: string } {
  const [seq, method] = requireHeader(message, "cseq").split(/\s+/);
  return { seq: Number(seq), method: method ?? "" };
}

export function topViaBranch(message: SipMessage): string | undefined {
  const top = headerValues(message, "via")[0];
  return top ? /;\s*branch=([^;,\s]+)/i.exec(top)?.[1] : undefined;
}

export function randomToken(length = 10): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let token = "";
  for (let i = 0; i < length; i++) token += alphabet[Math.floor(Math.random() * alphabet.length)];
  return token;
}
