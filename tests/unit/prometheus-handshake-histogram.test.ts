import { afterEach, describe, expect, it } from "vitest";
import type { HandshakeAttempt, HandshakeOutcome } from "@/lib/handshake/attempt";
import { buildFleetSnapshot, buildUpNodeSnapshot } from "@/lib/poller/snapshot";
import { renderMetrics } from "@/lib/prometheus/export";
import type { Scrape } from "@/lib/prometheus/families";
import {
  HANDSHAKE_BUCKETS_S,
  observeHandshakeAttempt,
  resetHandshakeMetrics,
} from "@/lib/prometheus/handshake-histogram";
import { sampleMeasurement } from "../support/snapshots";

// The handshake-latency histogram and failure counter: observed once per probe attempt (not per scrape), exported
// by every scrape next to the snapshot's families, dropped with the node.

const t0 = Date.parse("2026-11-30T10:00:00Z");
let seq = 0;

function attempt(outcome: HandshakeOutcome, handshakeMs: number | null): HandshakeAttempt {
  seq += 1;
  return {
    at: new Date(t0 + seq * 1000).toISOString(),
    url: "wss://edge:443",
    outcome,
    reason: outcome === "ok" ? null : outcome,
    tcpMs: 1,
    tlsMs: 1,
    upgradeMs: 1,
    optionsMs: outcome === "ok" ? 1 : null,
    handshakeMs,
    httpStatus: outcome === "http_error" ? 403 : 101,
    sipStatus: outcome === "ok" ? 200 : null,
  };
}

function scrapeOf(...names: string[]): Scrape {
  const nodes = names.map((name) =>
    buildUpNodeSnapshot(
      { name, rpcUrl: `http://${name}/RPC`, intervalMs: 2000 },
      { polledAt: new Date(t0), durationMs: 3 },
      sampleMeasurement(),
    ),
  );
  return { fleet: buildFleetSnapshot(nodes, 2000, new Date(t0)), now: new Date(t0) };
}

const linesOf = async (scrape: Scrape, prefix: string) =>
  (await renderMetrics(scrape)).text.split("\n").filter((l) => l.startsWith(prefix));

afterEach(() => resetHandshakeMetrics());

describe("kamdash_ws_handshake_duration_seconds", () => {
  it("puts each successful attempt in its bucket once, however often it is seen or scraped", async () => {
    const fast = attempt("ok", 12); // 0.012 s: bucket 0.025
    expect(observeHandshakeAttempt("edge", fast)).toBe(true);
    expect(observeHandshakeAttempt("edge", fast)).toBe(false); // the probe's last value, re-read next cycle
    observeHandshakeAttempt("edge", attempt("ok", 480)); // just under the seed's 500 ms
    observeHandshakeAttempt("edge", attempt("ok", 700)); // over it: bucket 0.75
    const scrape = scrapeOf("edge");
    const first = await linesOf(scrape, "kamdash_ws_handshake_duration_seconds");
    expect(await linesOf(scrape, "kamdash_ws_handshake_duration_seconds")).toEqual(first);
    const bucket = (le: string) => first.find((l) => l.includes(`le="${le}"`))?.split(" ")[1];
    expect([bucket("0.01"), bucket("0.025"), bucket("0.4"), bucket("0.5"), bucket("0.6")]).toEqual([
      "0",
      "1",
      "1",
      "2",
      "2",
    ]);
    expect([bucket("0.75"), bucket("5"), bucket("+Inf")]).toEqual(["3", "3", "3"]);
    expect(first).toContain('kamdash_ws_handshake_duration_seconds_count{node="edge"} 3');
    expect(first).toContain('kamdash_ws_handshake_duration_seconds_sum{node="edge"} 1.192');
    expect(first.filter((l) => l.includes("_bucket"))).toHaveLength(HANDSHAKE_BUCKETS_S.length + 1);
  });

  it("counts failed attempts by reason and never observes them as latency", async () => {
    observeHandshakeAttempt("edge", attempt("refused", null));
    observeHandshakeAttempt("edge", attempt("http_error", 9)); // 403 Origin: upgrade answered, not a handshake
    observeHandshakeAttempt("edge", attempt("http_error", 8));
    observeHandshakeAttempt("edge", attempt("timeout", null));
    const scrape = scrapeOf("edge");
    expect(await linesOf(scrape, "kamdash_ws_handshake_failures_total")).toEqual([
      'kamdash_ws_handshake_failures_total{node="edge",reason="refused"} 1',
      'kamdash_ws_handshake_failures_total{node="edge",reason="http_error"} 2',
      'kamdash_ws_handshake_failures_total{node="edge",reason="timeout"} 1',
    ]);
    expect(await linesOf(scrape, "kamdash_ws_handshake_duration_seconds_count")).toEqual([]);
    const { text } = await renderMetrics(scrape);
    expect(text).toContain("# TYPE kamdash_ws_handshake_duration_seconds histogram");
    expect(text).toContain("# TYPE kamdash_ws_handshake_failures_total counter");
  });

  it("drops the series of a node that is no longer polled", async () => {
    observeHandshakeAttempt("edge", attempt("ok", 20));
    observeHandshakeAttempt("gone", attempt("ok", 30));
    observeHandshakeAttempt("gone", attempt("refused", null));
    const lines = await linesOf(scrapeOf("edge"), "kamdash_ws_handshake");
    expect(lines.some((l) => l.includes('node="edge"'))).toBe(true);
    expect(lines.some((l) => l.includes('node="gone"'))).toBe(false);
  });
});
