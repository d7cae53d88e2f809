import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, parseTrustedProxies } from "@/lib/auth/client-address";
import { PEER_ADDRESS_HEADER, requestClientAddress } from "@/lib/auth/setup-peer";

const h = (values: Record<string, string>) => new Headers(values);
const proxies = parseTrustedProxies("10.0.0.0/8, 192.0.2.1, 2001:db8:ffff::/48");

describe("KAMDASH_TRUSTED_PROXIES", () => {
  it("parses addresses and CIDR ranges, and trusts none by default", () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(" ")).toEqual([]);
    expect(proxies.map(([network, bits]) => `${network.toString()}/${bits}`)).toEqual([
      "10.0.0.0/8",
      "192.0.2.1/32",
      "2001:db8:ffff::/48",
    ]);
    expect(parseTrustedProxies("::ffff:127.0.0.1").map(([n, b]) => `${n.toString()}/${b}`)).toEqual([
      "127.0.0.1/32",
    ]);
  });

  it("rejects an entry that is no address or range, naming it", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.example.org")).toThrow(
      /KAMDASH_TRUSTED_PROXIES: "proxy.example.org" is no IP address/,
    );
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33"/);
  });
});

describe("clientAddress", () => {
  it("ignores forwarding headers from a peer that is no trusted proxy", () => {
    const spoofed = h({
      "x-forwarded-for": "203.0.113.9",
      forwarded: "for=203.0.113.8",
      "x-real-ip": "203.0.113.7",
    });
    expect(clientAddress("198.51.100.4", spoofed, proxies)).toBe("198.51.100.4");
    expect(clientAddress("198.51.100.4", spoofed, [])).toBe("198.51.100.4");
    expect(clientAddress("127.0.0.1", spoofed, [])).toBe("127.0.0.1");
  });

  it("walks X-Forwarded-For from the right past trusted proxies; client-written entries on the left are ignored", () => {
    const headers = h({ "x-forwarded-for": "1.1.1.1, 198.51.100.7, 10.1.2.3" });
    expect(clientAddress("10.0.0.5", headers, proxies)).toBe("198.51.100.7");
    // a peer in a range, one hop only
    expect(clientAddress("192.0.2.1", h({ "x-forwarded-for": "6.6.6.6,198.51.100.8" }), proxies)).toBe(
      "198.51.100.8",
    );
    // every hop trusted: the left-most one
    expect(clientAddress("10.0.0.5", h({ "x-forwarded-for": "10.9.9.9, 10.1.1.1" }), proxies)).toBe(
      "10.9.9.9",
    );
    // no header at all: the proxy itself
    expect(clientAddress("10.0.0.5", h({}), proxies)).toBe("10.0.0.5");
  });

  it("stops at an entry that is no address, at the trusted hop that passed it on", () => {
    expect(clientAddress("10.0.0.5", h({ "x-forwarded-for": "198.51.100.7, unknown" }), proxies)).toBe(
      "10.0.0.5",
    );
  });

  it("handles IPv6 peers, entries with ports and IPv4-mapped addresses", () => {
    const headers = h({ "x-forwarded-for": "[2001:db8::1]:443, 2001:db8:ffff::2" });
    expect(clientAddress("2001:db8:ffff::9", headers, proxies)).toBe("2001:db8::1");
    expect(clientAddress("::ffff:10.0.0.5", h({ "x-forwarded-for": "198.51.100.7:5060" }), proxies)).toBe(
      "198.51.100.7",
    );
    expect(clientAddress("::ffff:198.51.100.4", h({ "x-forwarded-for": "1.1.1.1" }), proxies)).toBe(
      "198.51.100.4",
    );
    expect(clientAddress("2001:0db8:0000::0001", h({}), [])).toBe("2001:db8::1");
  });

  it("reads Forwarded (RFC 7239) and X-Real-IP when there is no X-Forwarded-For", () => {
    const forwarded = h({ forwarded: 'for=6.6.6.6, for="[2001:db8::7]:4711";proto=https, for=10.2.2.2' });
    expect(clientAddress("10.0.0.5", forwarded, proxies)).toBe("2001:db8::7");
    expect(clientAddress("10.0.0.5", h({ "x-real-ip": "198.51.100.9" }), proxies)).toBe("198.51.100.9");
  });

  it("is null when the server stamped no peer", () => {
    expect(clientAddress(null, h({ "x-forwarded-for": "198.51.100.7" }), proxies)).toBeNull();
    expect(requestClientAddress(h({ "x-forwarded-for": "198.51.100.7" }))).toBeNull();
    expect(
      requestClientAddress(h({ [PEER_ADDRESS_HEADER]: "198.51.100.3", "x-forwarded-for": "1.1.1.1" })),
    ).toBe("198.51.100.3");
  });

  it("normalizes addresses and refuses names", () => {
    expect(normalizeAddress(" 192.0.2.1 ")).toBe("192.0.2.1");
    expect(normalizeAddress("[::1]")).toBe("::1");
    expect(normalizeAddress("unknown")).toBeNull();
    expect(normalizeAddress("_hidden")).toBeNull();
    expect(normalizeAddress("1")).toBeNull();
  });
});
