import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkSetupAccess, newSetupCode } from "@/lib/auth/setup";
import {
  installPeerAddressStamp,
  isLocalRequest,
  PEER_ADDRESS_HEADER,
  PEER_FORWARDED_HEADER,
  type RequestOrigin,
  requestOriginOf,
} from "@/lib/auth/setup-peer";

// Who may use /setup without the code: the rule on its own, and the server-side stamp it relies on.

const local: RequestOrigin = {
  peerAddress: "127.0.0.1",
  proxied: false,
  host: "127.0.0.1:3000",
  origin: null,
};

describe("isLocalRequest", () => {
  it("accepts a direct request from this machine naming a loopback host", () => {
    expect(isLocalRequest(local)).toBe(true);
    expect(isLocalRequest({ ...local, peerAddress: "::1", host: "[::1]:3000" })).toBe(true);
    expect(isLocalRequest({ ...local, peerAddress: "::ffff:127.0.0.1", host: "localhost:3000" })).toBe(true);
    expect(isLocalRequest({ ...local, origin: "http://localhost:3000" })).toBe(true);
  });

  it("refuses another peer, a missing stamp, a proxy, a foreign host name and a foreign Origin", () => {
    expect(isLocalRequest({ ...local, peerAddress: "192.0.2.7" })).toBe(false);
    expect(isLocalRequest({ ...local, peerAddress: "::ffff:192.0.2.7" })).toBe(false);
    expect(isLocalRequest({ ...local, peerAddress: null })).toBe(false);
    expect(isLocalRequest({ ...local, peerAddress: "not-an-address" })).toBe(false);
    // a reverse proxy on this machine connects from 127.0.0.1 for everybody
    expect(isLocalRequest({ ...local, proxied: true })).toBe(false);
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1
    expect(isLocalRequest({ ...local, host: "evil.example:3000" })).toBe(false);
    expect(isLocalRequest({ ...local, host: null })).toBe(false);
    expect(isLocalRequest({ ...local, origin: "https://dash.example.org" })).toBe(false);
    expect(isLocalRequest({ ...local, origin: "null" })).toBe(false);
  });

  it("reads a missing forwarding stamp as proxied", () => {
    const headers = new Headers({ [PEER_ADDRESS_HEADER]: "127.0.0.1", host: "127.0.0.1:3000" });
    expect(requestOriginOf(headers).proxied).toBe(true);
    headers.set(PEER_FORWARDED_HEADER, "0");
    expect(isLocalRequest(requestOriginOf(headers))).toBe(true);
  });
});

describe("the peer stamp", () => {
  it("overwrites what the client sent with the socket's address, and flags forwarding headers", async () => {
    installPeerAddressStamp();
    const seen: Record<string, string | undefined>[] = [];
    const server = http.createServer((request, response) => {
      seen.push({
        peer: request.headers[PEER_ADDRESS_HEADER] as string | undefined,
        forwarded: request.headers[PEER_FORWARDED_HEADER] as string | undefined,
      });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const get = (headers: Record<string, string>) =>
      new Promise<void>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, headers }, (response) => response.resume().on("end", resolve))
          .on("error", reject);
      });
    try {
      await get({
        [PEER_ADDRESS_HEADER]: "127.0.0.1",
        [PEER_FORWARDED_HEADER]: "0",
        "x-forwarded-for": "10.1.1.1",
      });
      await get({});
    } finally {
      server.close();
    }
    expect(seen).toEqual([
      { peer: "127.0.0.1", forwarded: "1" },
      { peer: "127.0.0.1", forwarded: "0" },
    ]);
  });
});

describe("checkSetupAccess", () => {
  const remote: RequestOrigin = { ...local, peerAddress: "192.0.2.9", host: "dash.example.org" };

  it("lets a local request through without a code", async () => {
    await expect(checkSetupAccess(local, undefined)).resolves.toBeUndefined();
  });

  it("refuses a remote request without a code (403) and with a wrong one (403), then rate-limits (429)", async () => {
    await expect(checkSetupAccess(remote, undefined)).rejects.toThrow(/needs the setup code/);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      try {
        await checkSetupAccess({ ...remote, peerAddress: "192.0.2.10" }, "WRONG-CODE-0000");
      } catch (error) {
        statuses.push((error as { status: number }).status);
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403));
    expect(statuses[10]).toBe(429);
  });

  it("makes codes of three groups of four unambiguous characters", () => {
    const code = newSetupCode();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(newSetupCode()).not.toBe(code);
  });
});
