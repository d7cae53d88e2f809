import ipaddr from "ipaddr.js";

// "10.0.0.5", "10.0.0.0/8", "2001:db8::/32": the IP filter of the troubleshooting pages, with ipaddr.js doing the
// parsing and matching (IPv4-mapped IPv6 addresses such as ::ffff:10.0.0.5 match their IPv4 range).

export class IpFilterError extends Error {
  override name = "IpFilterError";
}

function normalize(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/**
 * True for an IPv4 address in dotted-quad form or an IPv6 address. ipaddr.js alone also takes "1001" or "0x10" as
 * IPv4 (inet_aton forms): a numeric SIP user would then read as an address.
 */
export function isIpAddressText(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

/** True for "address/bits" with a strict address (see isIpAddressText) and bits in range. */
export function isCidrText(text: string): boolean {
  const slash = text.lastIndexOf("/");
  return slash > 0 && isIpAddressText(text.slice(0, slash)) && ipaddr.isValidCIDR(text);
}

/**
 * A predicate over IP address text for an address or CIDR range. Throws IpFilterError with a readable message for
 * text that is neither. Addresses that do not parse (a hostname in a reply) never match.
 */
export function ipMatcher(filter: string): (ip: string) => boolean {
  const text = filter.trim();
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    if (!(text.includes("/") ? isCidrText(text) : isIpAddressText(text))) throw new Error("not strict");
    if (text.includes("/")) {
      const [address, bits] = ipaddr.parseCIDR(text);
      range = [
        normalize(address),
        address.kind() === "ipv6" && normalize(address).kind() === "ipv4" ? bits - 96 : bits,
      ];
    } else {
      const address = normalize(ipaddr.parse(text));
      range = [address, address.kind() === "ipv4" ? 32 : 128];
    }
  } catch {
    throw new IpFilterError(
      `"${filter}" is not an IP address or a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`,
    );
  }
  return (ip: string) => {
    if (!isIpAddressText(ip)) return false;
    const address = normalize(ipaddr.parse(ip));
    return address.kind() === range[0].kind() && address.match(range);
  };
}
