// Per-node probe settings: what the admin form and API accept, the handshake target's resolution order (node, then
// KAMDASH_HANDSHAKE, then the lab default) and how the poller applies a change from the node's next cycle.
import { describe, expect, it } from "vitest";
import { parseHandshakeTargets, resolveHandshake } from "@/lib/handshake/targets";
import type { HandshakeTarget } from "@/lib/handshake/ws-handshake";
import { handshakeSettingsSchema, probeSettingsInput, toNodeProbeSettings } from "@/lib/nodes/probe-settings";
import {
  formatRtpengineAddressesText,
  parseRtpengineAddressesText,
} from "@/lib/nodes/rtpengine-addresses-text";
import { createNodeSettings } from "@/lib/poller/node-settings";
import type { ProbeMemory } from "@/lib/poller/probe-state";

const issues = (input: unknown) => {
  const parsed = handshakeSettingsSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join("."), i.message]);
};
const setting = { url: "wss://gw1.example.org:443", origin: "https://phone.example.org", intervalS: 5 };

describe("handshake settings", () => {
  it("accepts a ws(s) URL with its Origin, an interval in whole seconds, verify TLS on by default", () => {
    expect(handshakeSettingsSchema.parse(setting)).toEqual({ ...setting, verifyTls: true });
    expect(handshakeSettingsSchema.parse({ url: null, origin: null, intervalS: null })).toMatchObject({
      url: null,
      intervalS: null,
    });
  });

  it("names the field that is wrong", () => {
    expect(issues({ ...setting, url: "https://gw1.example.org" })[0]?.[0]).toBe("url");
    expect(issues({ ...setting, url: "wss://user:pw@gw1.example.org" })).toEqual([
      ["url", "WS/WSS URL must not carry a user or password"],
    ]);
    expect(issues({ ...setting, origin: "https://phone.example.org/app" })[0]?.[0]).toBe("origin");
    expect(issues({ ...setting, origin: null })).toEqual([
      ["origin", "Origin is required with a WS/WSS URL"],
    ]);
    expect(issues({ ...setting, url: null })[0]?.[0]).toBe("url");
    expect(issues({ ...setting, intervalS: 0 })).toEqual([["intervalS", "interval: at least 1 s"]]);
    expect(issues({ ...setting, intervalS: 2.5 })[0]?.[0]).toBe("intervalS");
    expect(issues({ ...setting, intervalS: 3601 })[0]?.[0]).toBe("intervalS");
    expect(probeSettingsInput.safeParse({ handshake: setting, other: 1 }).success).toBe(false);
  });
});

describe("RTPEngine address overrides as form text", () => {
  it("parses one media server per line and prints it back", () => {
    const text =
      "# lab\nudp:10.0.0.5:22222 ng=udp:127.0.0.1:22222 metrics=http://127.0.0.1:22223/metrics\n\nudp:10.0.0.6:22222 metrics=http://10.0.0.6:22223/metrics";
    const parsed = parseRtpengineAddressesText(text);
    expect(parsed).toEqual({
      "udp:10.0.0.5:22222": { ng: "udp:127.0.0.1:22222", metricsUrl: "http://127.0.0.1:22223/metrics" },
      "udp:10.0.0.6:22222": { ng: null, metricsUrl: "http://10.0.0.6:22223/metrics" },
    });
    expect(parseRtpengineAddressesText(formatRtpengineAddressesText(parsed))).toEqual(parsed);
    expect(parseRtpengineAddressesText("")).toEqual({});
  });

  it("names the line and what is wrong with it", () => {
    const error = (text: string) => {
      try {
        parseRtpengineAddressesText(text);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error("udp:a:1 ng=udp:b:2\nudp:c:3")).toBe("line 2: give ng, metricsUrl or both");
    expect(error("udp:a:1 ng=tcp:b:2")).toMatch(/^line 1: ng must be udp:host:port/);
    expect(error("udp:a:1 ng=udp:b:70000")).toBe("line 1: ng: port must be 1-65535");
    expect(error("udp:a:1 metrics=ftp://x/metrics")).toMatch(/^line 1: metrics URL must be an http/);
    expect(error("udp:a:1 ng=udp:b:2\nudp:a:1 ng=udp:b:3")).toBe("line 2: udp:a:1 is listed twice");
    expect(error("ng=udp:b:2")).toMatch(/^line 1: start with the media server URL/);
    expect(error("udp:a:1 port=2")).toMatch(/^line 1: "port=2"/);
  });

  it("a stored value that no longer validates reads as no override", () => {
    const row = {
      handshakeUrl: null,
      handshakeOrigin: null,
      handshakeIntervalS: null,
      handshakeVerifyTls: true,
    };
    expect(
      toNodeProbeSettings({ ...row, rtpengineAddresses: { x: { ng: "bogus" } } }).rtpengineAddresses,
    ).toEqual({});
    expect(toNodeProbeSettings({ ...row, rtpengineAddresses: null }).rtpengineAddresses).toEqual({});
  });
});

const env = parseHandshakeTargets("edge1=wss://env.example.org:443|https://env.example.org");
const lab: HandshakeTarget = {
  url: "wss://127.0.0.1:8443",
  origin: "https://127.0.0.1:8443",
  sipDomain: "127.0.0.1",
  verifyTls: false,
};
const node = { ...setting, verifyTls: false };

describe("handshake target resolution: node, then KAMDASH_HANDSHAKE, then the lab default", () => {
  it("the node's own target wins, with its verify-TLS and interval", () => {
    expect(resolveHandshake("edge1", node, env, lab, 10_000)).toEqual({
      target: { url: setting.url, origin: setting.origin, sipDomain: "gw1.example.org", verifyTls: false },
      intervalMs: 5000,
      source: "node",
    });
    expect(resolveHandshake("lab", node, env, lab, 10_000).source).toBe("node");
  });

  it("without a node URL: the env entry, then the lab default for node 'lab'; the node interval still applies", () => {
    const intervalOnly = { url: null, origin: null, intervalS: 30, verifyTls: true };
    expect(resolveHandshake("edge1", intervalOnly, env, lab, 10_000)).toMatchObject({
      target: { url: "wss://env.example.org:443" },
      intervalMs: 30_000,
      source: "env",
    });
    // the lab's self-signed certificate: its default keeps verifyTls false even though the column defaults to true
    expect(resolveHandshake("lab", intervalOnly, env, lab, 10_000)).toEqual({
      target: lab,
      intervalMs: 30_000,
      source: "lab",
    });
    expect(resolveHandshake("edge2", null, env, lab, 10_000)).toEqual({
      target: undefined,
      intervalMs: 10_000,
      source: null,
    });
  });

  it("the poller applies a change at the node's next cycle and makes the handshake probe due at once", () => {
    const settings = createNodeSettings(env, lab, 10_000);
    const memory = { nextDueAtMs: 123_456 } as ProbeMemory;
    const probes = new Map([["handshake", memory]]);
    expect(settings.forCycle("edge2", probes)).toMatchObject({
      handshake: undefined,
      handshakeIntervalMs: 10_000,
    });
    settings.replace(new Map([["edge2", { handshake: node, rtpengineAddresses: {} }]]));
    expect(settings.forCycle("edge2", probes)).toMatchObject({
      handshake: { url: setting.url },
      handshakeIntervalMs: 5000,
      handshakeSource: "node",
      rtpengineAddresses: undefined,
    });
    expect(memory.nextDueAtMs).toBe(0);
    memory.nextDueAtMs = 99;
    settings.forCycle("edge2", probes); // unchanged: the probe keeps its cadence
    expect(memory.nextDueAtMs).toBe(99);
  });
});
