import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canaryPasswordVariable, labCanaryTarget, parseCanaryTargets, readCanaryConfig } from "./config";

const env = {
  KAMDASH_CANARY: "on",
  KAMDASH_CANARY_TARGETS:
    "edge-1=wss://gw1.example.org:443|https://phone.example.org|probe1|probe2, edge2=wss://10.0.0.5:8443|https://phone.example.org|probe1@example.org|sip:echo@10.0.0.9:5060|insecure",
  KAMDASH_CANARY_PASSWORD_EDGE_1_PROBE1: "secret-a",
  KAMDASH_CANARY_PASSWORD_EDGE_1_PROBE2: "secret-b",
  KAMDASH_CANARY_PASSWORD_EDGE2_PROBE1: "secret-c",
};

describe("readCanaryConfig", () => {
  it("is off by default, every 5 minutes, 15 s per run", () => {
    expect(readCanaryConfig({})).toEqual({
      enabled: false,
      intervalMs: 300_000,
      timeoutMs: 15_000,
      targets: new Map(),
    });
  });

  it("does not read the targets (nor ask for passwords) while off", () => {
    expect(readCanaryConfig({ KAMDASH_CANARY_TARGETS: "edge1=wss://gw|x|a|b" }).targets.size).toBe(0);
  });

  it("rejects a bad switch, interval or timeout with the variable's name", () => {
    expect(() => readCanaryConfig({ KAMDASH_CANARY: "yes" })).toThrow(/KAMDASH_CANARY must be on or off/);
    expect(() => readCanaryConfig({ KAMDASH_CANARY_INTERVAL_MS: "5000" })).toThrow(
      /KAMDASH_CANARY_INTERVAL_MS/,
    );
    expect(() => readCanaryConfig({ KAMDASH_CANARY_INTERVAL_MS: "5m" })).toThrow(/whole number/);
    expect(() =>
      readCanaryConfig({ KAMDASH_CANARY_INTERVAL_MS: "20000", KAMDASH_CANARY_TIMEOUT_MS: "20000" }),
    ).toThrow(/shorter than KAMDASH_CANARY_INTERVAL_MS/);
  });

  it("parses per-node targets: probe user or operator URI callee, domain, insecure, passwords from env", () => {
    const config = readCanaryConfig({
      ...env,
      KAMDASH_CANARY_INTERVAL_MS: "60000",
      KAMDASH_CANARY_TIMEOUT_MS: "8000",
    });
    expect(config).toMatchObject({ enabled: true, intervalMs: 60_000, timeoutMs: 8000 });
    expect(config.targets.get("edge-1")).toEqual({
      url: "wss://gw1.example.org:443",
      origin: "https://phone.example.org",
      verifyTls: true,
      sipDomain: "gw1.example.org",
      caller: { username: "probe1", password: "secret-a" },
      callee: { kind: "user", username: "probe2", password: "secret-b" },
      timeoutMs: 8000,
    });
    expect(config.targets.get("edge2")).toMatchObject({
      verifyTls: false,
      sipDomain: "example.org",
      caller: { username: "probe1", password: "secret-c" },
      callee: { kind: "uri", uri: "sip:echo@10.0.0.9:5060" },
    });
  });

  it("names the missing password variable, never a password", () => {
    const { KAMDASH_CANARY_PASSWORD_EDGE_1_PROBE2: _, ...without } = env;
    expect(() => readCanaryConfig(without)).toThrow(
      "canary for node edge-1: KAMDASH_CANARY_PASSWORD_EDGE_1_PROBE2 is not set (the password of probe user probe2)",
    );
  });

  it("rejects a malformed entry with the entry and the expected format", () => {
    const bad = (targets: string) => () =>
      parseCanaryTargets({ ...env, KAMDASH_CANARY_TARGETS: targets }, 5000);
    expect(bad("edge-1=https://gw|https://o.example|probe1|probe2")).toThrow(
      /entry "edge-1=https:\/\/gw.*ws:\/\/ or wss:\/\/ URL/,
    );
    expect(bad("edge-1=wss://gw|https://o.example|probe1")).toThrow(/callee/);
    expect(bad("edge-1=wss://gw|https://o.example|probe1|probe2|trust-me")).toThrow(/only be 'insecure'/);
    expect(bad("=wss://gw|https://o.example|probe1|probe2")).toThrow(/must be name=/);
  });

  it("derives each password variable from the node and user names", () => {
    expect(canaryPasswordVariable("edge-1.eu", "probe.a")).toBe("KAMDASH_CANARY_PASSWORD_EDGE_1_EU_PROBE_A");
  });
});

describe("labCanaryTarget", () => {
  const labJson = (body: object) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "kamdash-canary-")), "lab.json");
    writeFileSync(file, JSON.stringify(body));
    return file;
  };
  const lab = {
    domain: "127.0.0.1",
    sip: { wss: "wss://127.0.0.1:8443" },
    origins: ["https://127.0.0.1:8443"],
  };

  it("calls lab.json's second canary user from the first over the lab's WSS, self-signed accepted", () => {
    const users = [
      { username: "kamdash-canary-a", password: "pa" },
      { username: "kamdash-canary-b", password: "pb" },
    ];
    expect(labCanaryTarget(9000, labJson({ ...lab, canary: { users } }))).toEqual({
      url: "wss://127.0.0.1:8443",
      origin: "https://127.0.0.1:8443",
      verifyTls: false,
      sipDomain: "127.0.0.1",
      caller: users[0],
      callee: { kind: "user", ...users[1] },
      timeoutMs: 9000,
    });
  });

  it("is null for a lab.json without canary users, or no lab.json", () => {
    expect(labCanaryTarget(9000, labJson(lab))).toBeNull();
    expect(labCanaryTarget(9000, "/nonexistent/lab.json")).toBeNull();
  });
});
