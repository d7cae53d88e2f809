// NG replies and /metrics captured from the lab's RTPEngine 10.5 (scripts/capture-fixtures.ts), byte for byte.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bencodeDecode } from "./bencode";
import { parseNgReply } from "./errors";
import { metricSum, metricValue, parsePrometheusText } from "./metrics";
import {
  ngErrorReplySchema,
  ngListReplySchema,
  ngPingReplySchema,
  ngQueryReplySchema,
  ngStatisticsReplySchema,
  toCallQuery,
} from "./ng-schemas";

const dir = path.resolve(import.meta.dirname, "../../tests/fixtures/rtpengine");
const ng = (name: string) => bencodeDecode(readFileSync(path.join(dir, name)));
const metrics = (name: string) => parsePrometheusText(readFileSync(path.join(dir, name), "utf8"));

describe("NG replies", () => {
  it("ping", () => {
    expect(ngPingReplySchema.parse(ng("ng-ping.lab.bencode"))).toEqual({ result: "pong" });
  });

  it("list, idle and with the two calls", () => {
    expect(ngListReplySchema.parse(ng("ng-list.idle.bencode")).calls).toEqual([]);
    expect(ngListReplySchema.parse(ng("ng-list.calls.bencode")).calls).toEqual([
      "d6b472bc17cdea9f@kamdash",
      "8557c7d9ec09ecb6@kamdash",
    ]);
  });

  it("query of the confirmed WebRTC call: per-stream counters, rtcp-mux on both legs", () => {
    const call = toCallQuery(
      parseNgReply(ngQueryReplySchema, ng("ng-query.confirmed-call.bencode"), "query"),
    );
    expect(call.created).toBe(1795692127);
    expect(new Set(call.streams.map((s) => s.tag))).toEqual(new Set(["c7f68fba", "bc0d7a06"]));
    expect(
      call.streams.filter((s) => s.kind === "RTP").map((s) => [s.tag, s.localPort, s.rtcpMuxed]),
    ).toEqual([
      ["c7f68fba", 30588, true],
      ["bc0d7a06", 30568, true],
    ]);
    // Signalling only, no media was sent: every counter is a real zero.
    expect(call.streams.every((s) => s.packets === 0 && s.bytes === 0)).toBe(true);
    expect(call.totals).toEqual({
      rtp: { packets: 0, bytes: 0, errors: 0 },
      rtcp: { packets: 0, bytes: 0, errors: 0 },
    });
  });

  it("query of an unknown call is an error reply", () => {
    expect(ngErrorReplySchema.parse(ng("ng-query.unknown-call.bencode"))).toEqual({
      result: "error",
      "error-reason": "Unknown call-id",
    });
  });

  it("statistics: numbers and decimal strings both read as numbers", () => {
    const { statistics } = ngStatisticsReplySchema.parse(ng("ng-statistics.calls.bencode"));
    expect(statistics.currentstatistics.sessionsown).toBe(2);
    expect(statistics.currentstatistics.sessionstotal).toBe(2);
    expect(statistics.totalstatistics.managedsessions).toBe(19);
    expect(typeof statistics.totalstatistics.uptime).toBe("number");
    expect(statistics.totalstatistics.avgcallduration).toBeGreaterThanOrEqual(0);
    expect(statistics.interfaces).toEqual([
      { name: "default", address: "127.0.0.1", ports: { used: 8, free: 9992, totals: 10000 } },
    ]);
  });

  it("names the field when a reply has the wrong type", () => {
    const reply = { ...(ng("ng-list.calls.bencode") as object), calls: "not-a-list" };
    expect(() => parseNgReply(ngListReplySchema, reply, "list", "127.0.0.1:22222")).toThrow(
      "rtpengine list on 127.0.0.1:22222: calls: expected array, received string",
    );
  });
});

describe("/metrics", () => {
  it("idle and with calls", () => {
    const idle = metrics("metrics.idle.txt");
    const calls = metrics("metrics.calls.txt");
    expect(idle.skipped).toEqual([]);
    expect(calls.skipped).toEqual([]);
    expect(metricValue(idle, "rtpengine_sessions", { type: "own" })).toBe(0);
    expect(metricValue(calls, "rtpengine_sessions", { type: "own" })).toBe(2);
    expect(metricValue(calls, "rtpengine_sessions_total")).toBe(19);
    expect(metricSum(calls, "rtpengine_packets_total")).toBe(0);
    expect(metricValue(calls, "rtpengine_closed_sessions_total", { reason: "terminated" })).not.toBeNull();
    expect(calls.types.rtpengine_sessions).toBe("gauge");
    expect(calls.types.rtpengine_sessions_total).toBe("counter");
    expect(metricValue(calls, "rtpengine_no_such_metric")).toBeNull();
  });

  it("parses labels with escapes, special values and timestamps; skips unreadable lines", () => {
    const parsed = parsePrometheusText(
      [
        "# HELP x_total A counter",
        "# TYPE x_total counter",
        'x_total{path="C:\\\\tmp",quote="say \\"hi\\"",nl="a\\nb"} 3 1700000000000',
        "y_gauge +Inf",
        "z_gauge NaN",
        "broken{label=unquoted} 1",
        "no_value",
        "",
      ].join("\n"),
    );
    expect(parsed.samples[0]).toEqual({
      name: "x_total",
      labels: { path: "C:\\tmp", quote: 'say "hi"', nl: "a\nb" },
      value: 3,
    });
    expect(metricValue(parsed, "y_gauge")).toBe(Number.POSITIVE_INFINITY);
    expect(metricValue(parsed, "z_gauge")).toBeNaN();
    expect(parsed.skipped.map((s) => s.line)).toEqual([6, 7]);
  });
});
