import ipaddr from "ipaddr.js";
import { z } from "zod";

// Which address a request comes from, for sign-in throttling and the /setup code limit. The TCP peer is known
// (the server stamps it on every request, lib/auth/setup-peer.ts); forwarding headers are believed only when that
// peer is a proxy listed in KAMDASH_TRUSTED_PROXIES. Then the X-Forwarded-For chain is walked from the right
// (each proxy appends the address it saw), skipping trusted proxies: the first untrusted address is the client.
// Entries left of it were written by the client itself and are ignored. Default: no proxy trusted, so the
// peer's own address counts and a client cannot choose its address by sending X-Forwarded-For.

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Dotted-quad IPv4 or IPv6 only: ipaddr.js would also take "1" or "0x7f.1" as IPv4. */
function isPlainAddress(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}
/** Parsed KAMDASH_TRUSTED_PROXIES: [network address, prefix length] pairs (a single address is a /32 or /128). */
export type TrustedProxies = readonly (readonly [Address, number])[];

function parseRange(entry: string): [Address, number] | null {
  try {
    if (entry.includes("/")) {
      const [address, bits] = ipaddr.parseCIDR(entry);
      // "::ffff:10.0.0.0/104" style ranges of IPv4-mapped addresses are taken as the IPv4 range they mean
      if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
      }
      return [address, bits];
    }
    if (!isPlainAddress(entry)) return null;
    const address = ipaddr.process(entry);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  } catch {
    return null;
  }
}

const trustedProxiesSchema = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .transform((entries, ctx) => {
    const ranges: [Address, number][] = [];
    for (const entry of entries) {
      const range = parseRange(entry);
      if (range) ranges.push(range);
      else ctx.addIssue({ code: "custom", message: `"${entry}" is no IP address or CIDR range` });
    }
    return ranges;
  });

/** "10.0.0.0/8, 192.0.2.7, 2001:db8::/32" → ranges; empty or unset → none. Throws a readable error on a bad entry. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const parsed = trustedProxiesSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `KAMDASH_TRUSTED_PROXIES: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
    );
  }
  return parsed.data;
}

let cached: { value: string | undefined; ranges: TrustedProxies } | undefined;

/** KAMDASH_TRUSTED_PROXIES of `env` (default process.env), parsed once per distinct value. */
export function trustedProxiesFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TrustedProxies {
  const value = env.KAMDASH_TRUSTED_PROXIES;
  if (cached === undefined || cached.value !== value) cached = { value, ranges: parseTrustedProxies(value) };
  return cached.ranges;
}

/** An address as a header or socket gives it ("::ffff:192.0.2.1", "192.0.2.1:5060", "[2001:db8::1]:443",
 * "2001:db8::1"), normalized; null when it is no IP address (e.g. "unknown" or an obfuscated Forwarded name). */
export function normalizeAddress(raw: string): string | null {
  let text = raw.trim().replace(/^"(.*)"$/, "$1");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (!isPlainAddress(text)) return null;
  return ipaddr.process(text).toString();
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  const parsed = ipaddr.process(address);
  return trusted.some(([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits));
}

type HeaderSource = Pick<Headers, "get">;

/** The `for=` values of a Forwarded header (RFC 7239), in order. */
function forwardedFor(value: string): string[] {
  return value.split(",").flatMap((element) =>
    element
      .split(";")
      .map((pair) => pair.trim())
      .filter((pair) => pair.toLowerCase().startsWith("for="))
      .map((pair) => pair.slice(4)),
  );
}

/** The forwarding chain, oldest hop first: X-Forwarded-For, else Forwarded's for=, else X-Real-IP. */
function forwardingChain(headers: HeaderSource): string[] {
  const list = (value: string | null) => (value ?? "").split(",").map((entry) => entry.trim());
  const xff = list(headers.get("x-forwarded-for")).filter(Boolean);
  if (xff.length > 0) return xff;
  const forwarded = forwardedFor(headers.get("forwarded") ?? "");
  if (forwarded.length > 0) return forwarded;
  const realIp = headers.get("x-real-ip")?.trim();
  return realIp ? [realIp] : [];
}

/**
 * The client's address: the TCP peer (`peer`, as the server saw it), or, when the peer is a trusted proxy, the
 * right-most address of the forwarding chain that is not a trusted proxy. If every hop is trusted, the left-most
 * one; if a trusted hop passed on something that is no address, that hop. Null when the peer is unknown.
 */
export function clientAddress(
  peer: string | null,
  headers: HeaderSource,
  trusted: TrustedProxies = trustedProxiesFromEnv(),
): string | null {
  let current = peer === null ? null : normalizeAddress(peer);
  if (current === null || !isTrusted(current, trusted)) return current;
  const chain = forwardingChain(headers);
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const hop = normalizeAddress(chain[i] ?? "");
    if (hop === null) return current;
    current = hop;
    if (!isTrusted(current, trusted)) return current;
  }
  return current;
}
