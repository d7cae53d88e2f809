import { describe, expect, it } from "vitest";
import { readPollerConfig } from "./config";

describe("readPollerConfig", () => {
  it("defaults to polling every 2 s", () => {
    expect(readPollerConfig({})).toMatchObject({ enabled: true, intervalMs: 2000, rpcTimeoutMs: 1500 });
  });

  it("reads the interval and derives the timeouts from it", () => {
    const config = readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: "1000" });
    expect(config).toMatchObject({ intervalMs: 1000, rpcTimeoutMs: 750 });
    expect(config.runTimeoutMs).toBeGreaterThan(config.rpcTimeoutMs);
  });

  it("refuses intervals under 1000 ms and non-numbers with a message naming the variable", () => {
    expect(() => readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: "500" })).toThrow(
      "KAMDASH_POLL_INTERVAL_MS must be at least 1000",
    );
    expect(() => readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: "2s" })).toThrow(
      "KAMDASH_POLL_INTERVAL_MS must be a whole number",
    );
  });

  it("KAMDASH_POLLER=off disables polling", () => {
    expect(readPollerConfig({ KAMDASH_POLLER: "off" }).enabled).toBe(false);
    expect(readPollerConfig({ KAMDASH_POLLER: "on" }).enabled).toBe(true);
  });

  it("reads the branch counters group, default bridge, and refuses a name Kamailio could not have", () => {
    expect(readPollerConfig({}).branchCounterGroup).toBe("bridge");
    expect(readPollerConfig({ KAMDASH_BRANCH_COUNTER_GROUP: " relay_stats " }).branchCounterGroup).toBe(
      "relay_stats",
    );
    expect(() => readPollerConfig({ KAMDASH_BRANCH_COUNTER_GROUP: "bridge.wss_udp_failed" })).toThrow(
      "KAMDASH_BRANCH_COUNTER_GROUP must be a Kamailio counters group name (letters, digits, '_' or '-'), got \"bridge.wss_udp_failed\"",
    );
  });
});
