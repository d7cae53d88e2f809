import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import ipaddr from "ipaddr.js";
import { clientAddress } from "./client-address";

// "Does this request come from this machine?" for the first-run setup page. Next gives route handlers no socket,
// and x-forwarded-for is whatever the client sent, so the server itself stamps every request, before Next sees
// it, with the socket's peer address and whether the client sent forwarding headers (Node's
// `http.server.request.start` diagnostics channel; a client-sent value of these headers is removed first).
// A request counts as local only when: the peer is a loopback address, it came through no proxy (no forwarding
// header: a reverse proxy on this machine connects from loopback for everyone), it names a loopback host (a
// DNS-rebinding page names its own), and a browser's Origin, if any, is a loopback host too.

export const PEER_ADDRESS_HEADER = "x-kamdash-peer-address";
export const PEER_FORWARDED_HEADER = "x-kamdash-peer-forwarded";
const STAMP_HEADERS = new Set([PEER_ADDRESS_HEADER, PEER_FORWARDED_HEADER]);
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"] as const;

type RequestStart = { request: IncomingMessage; socket: Socket };

function stamp({ request, socket }: RequestStart): void {
  const { headers, rawHeaders } = request;
  for (const name of STAMP_HEADERS) delete headers[name];
  for (let i = rawHeaders.length - 2; i >= 0; i -= 2) {
    if (STAMP_HEADERS.has(rawHeaders[i]?.toLowerCase() ?? "")) rawHeaders.splice(i, 2);
  }
  const forwarded = FORWARDING_HEADERS.some((name) => headers[name] !== undefined) ? "1" : "0";
  const address = socket.remoteAddress ?? "";
  headers[PEER_ADDRESS_HEADER] = address;
  headers[PEER_FORWARDED_HEADER] = forwarded;
  rawHeaders.push(PEER_ADDRESS_HEADER, address, PEER_FORWARDED_HEADER, forwarded);
}

const installedKey = Symbol.for("kamdash.auth.peerStamp");
type GlobalWithStamp = typeof globalThis & { [installedKey]?: true };

/** Stamps every request this process serves from now on (call once at start-up; repeated calls do nothing). */
export function installPeerAddressStamp(): void {
  const g = globalThis as GlobalWithStamp;
  if (g[installedKey]) return;
  g[installedKey] = true;
  diagnosticsChannel.subscribe("http.server.request.start", (message) => stamp(message as RequestStart));
}

/** The client's address of a stamped request: the peer, or what a trusted proxy forwarded; null unstamped. */
export function requestClientAddress(headers: HeaderSource): string | null {
  return clientAddress(headers.get(PEER_ADDRESS_HEADER) || null, headers);
}

/** What the local-request rule looks at, read from a request's headers. */
export type RequestOrigin = {
  /** The socket's peer address as stamped by the server; null when the stamp is missing. */
  peerAddress: string | null;
  /** The client sent a forwarding header (it came through a proxy, or pretends to). */
  proxied: boolean;
  /** The client's address: the peer, or what a trusted proxy forwarded (lib/auth/client-address.ts). */
  clientAddress?: string | null;
  host: string | null;
  origin: string | null;
};

type HeaderSource = Pick<Headers, "get">;

export function requestOriginOf(headers: HeaderSource): RequestOrigin {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  return {
    peerAddress: peer ? peer : null,
    proxied: headers.get(PEER_FORWARDED_HEADER) !== "0",
    clientAddress: clientAddress(peer ? peer : null, headers),
    host: headers.get("host"),
    origin: headers.get("origin"),
  };
}

function isLoopbackAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "loopback";
}

/** "localhost", "127.0.0.1:3000", "[::1]:3000" → true; any other name or address → false. */
function isLoopbackHost(host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname === "localhost") return true;
  return isLoopbackAddress(hostname.replace(/^\[(.*)\]$/, "$1"));
}

/** True only for a request made on this machine, straight to this server (see the rule at the top). */
export function isLocalRequest(request: RequestOrigin): boolean {
  if (request.peerAddress === null || request.proxied || !isLoopbackAddress(request.peerAddress))
    return false;
  if (request.host === null || !isLoopbackHost(request.host)) return false;
  if (request.origin === null) return true;
  let originHost: string;
  try {
    originHost = new URL(request.origin).host;
  } catch {
    return false;
  }
  return isLoopbackHost(originHost);
}
