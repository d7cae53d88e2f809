// Per-instance RTPEngine numbers (issue #8 "per instance") from the lab's captured RTPEngine 10.5 replies (NG
// statistics and /metrics during two calls), a newer reply shape (voip_metrics: jitter, packet loss) and an older
// one (no rates, no interfaces); then the rtpengine-ng probe carrying them and the node page's cells.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { statCell } from "@/components/node/media-server-stats";
import type { RtpengineInstance } from "@/lib/poller/probes/rtpengine";
import { instanceStatsOf, rtpengineNgProbe } from "@/lib/poller/probes/rtpengine-ng";
import type { ProbeContext, ProbeRpc } from "@/lib/poller/probes/types";
import type { FleetSnapshot } from "@/lib/poller/snapshot";
import { RtpengineStateSchema } from "@/lib/poller/snapshot-schema";
import { rtpengineFamilies } from "@/lib/prometheus/rtpengine-families";
import { bencodeDecode } from "@/lib/rtpengine/bencode";
import {
  instanceStatsFromMetrics,
  instanceStatsFromNg,
  NOT_REPORTED,
  RtpengineInstanceStatsSchema,
} from "@/lib/rtpengine/instance-stats";
import { parsePrometheusText, sessionsFromMetrics } from "@/lib/rtpengine/metrics";
import { ngStatisticsReplySchema } from "@/lib/rtpengine/ng-schemas";

const dir = path.join(__dirname, "../fixtures/rtpengine");
type Reply = { result: string; statistics: Record<string, unknown> };
const ngReply = () => bencodeDecode(readFileSync(path.join(dir, "ng-statistics.calls.bencode"))) as Reply;
const metricsText = () => readFileSync(path.join(dir, "metrics.calls.txt"), "utf8");
const fromNg = (reply: Reply) => instanceStatsFromNg(ngStatisticsReplySchema.parse(reply).statistics);
const fromMetrics = (text: string) => {
  const metrics = parsePrometheusText(text);
  return instanceStatsFromMetrics(metrics, sessionsFromMetrics(metrics));
};

describe("RTPEngine 10.5 as captured (two calls, no media)", () => {
  it("NG statistics: sessions, real zero rates, ports per interface; MOS with 0 samples is null, not 0", () => {
    const stats = fromNg(ngReply());
    expect(RtpengineInstanceStatsSchema.parse(stats)).toEqual(stats);
    expect(stats.sessions).toEqual({ own: 2, foreign: 0, total: 2 });
    expect(stats.packetRate).toEqual({ value: 0, reason: null }); // RTPEngine said 0 packets/s: a real 0
    expect(stats.byteRate).toEqual({ value: 0, reason: null });
    expect(stats.mos).toEqual({ value: null, samples: 0, reason: expect.stringContaining("no MOS samples") });
    expect(stats.jitterMs).toEqual({ value: null, samples: null, reason: NOT_REPORTED });
    expect(stats.packetLossPct).toEqual({ value: null, samples: null, reason: NOT_REPORTED });
    expect(stats.ports).toEqual({
      used: 8,
      free: 9992,
      total: 10000,
      interfaces: [{ name: "default", address: "127.0.0.1", used: 8, free: 9992, total: 10000 }],
    });
  });

  it("/metrics of the same capture: same sessions and ports; rates are null with why (only counters there)", () => {
    const stats = fromMetrics(metricsText());
    expect(stats.via).toBe("metrics");
    expect(stats.sessions).toEqual({ own: 2, foreign: 0, total: 2 });
    expect(stats.ports).toEqual(fromNg(ngReply()).ports);
    expect(stats.packetRate.value).toBeNull();
    expect(stats.packetRate.reason).toMatch(/not in RTPEngine's \/metrics/);
    expect(stats.mos).toMatchObject({ value: null, samples: 0 });
    expect(stats.jitterMs).toEqual({ value: null, samples: null, reason: NOT_REPORTED });
  });
});

describe("other RTPEngine versions", () => {
  it("newer: voip_metrics jitter (ms) and packet loss (%) averages, MOS with samples", () => {
    const reply = ngReply();
    reply.statistics.mos = { mos_average: "4.100000", mos_samples_total: 3, mos_total: "12.300000" };
    reply.statistics.voip_metrics = {
      jitter_average: "12.500000",
      jitter_samples_total: 4,
      packetloss_average: "0.000000",
      packetloss_samples_total: 4,
    };
    const stats = fromNg(reply);
    expect(stats.mos).toEqual({ value: 4.1, samples: 3, reason: null });
    expect(stats.jitterMs).toEqual({ value: 12.5, samples: 4, reason: null });
    expect(stats.packetLossPct).toEqual({ value: 0, samples: 4, reason: null }); // 0 % over 4 samples: real
  });

  it("newer /metrics: jitter and loss from their _total and _samples_total counters", () => {
    const extra = [
      "rtpengine_mos_total 8.600000",
      "rtpengine_mos_samples_total 2",
      "rtpengine_jitter_total 30.000000",
      "rtpengine_jitter_samples_total 3",
      "rtpengine_packetloss_total 0.000000",
      "rtpengine_packetloss_samples_total 0",
    ];
    const text = metricsText()
      .split("\n")
      .filter((line) => !line.startsWith("rtpengine_mos"))
      .concat(extra)
      .join("\n");
    const stats = fromMetrics(text);
    expect(stats.mos).toEqual({ value: 4.3, samples: 2, reason: null });
    expect(stats.jitterMs).toEqual({ value: 10, samples: 3, reason: null });
    expect(stats.packetLossPct).toMatchObject({
      value: null,
      samples: 0,
      reason: expect.stringMatching(/no samples/),
    });
  });

  it("older or odd replies still give the sessions: no rates, no interfaces, a MOS of 'nan'", () => {
    const reply = ngReply();
    const current = { ...(reply.statistics.currentstatistics as Record<string, unknown>) };
    delete current.packetrate;
    delete current.byterate;
    delete current.errorrate;
    reply.statistics.currentstatistics = current;
    delete reply.statistics.interfaces;
    reply.statistics.mos = { mos_average: "nan", mos_samples_total: 5 };
    const stats = fromNg(reply);
    expect(stats.sessions).toEqual({ own: 2, foreign: 0, total: 2 });
    expect(stats.packetRate).toEqual({ value: null, reason: NOT_REPORTED });
    expect(stats.errorRate).toEqual({ value: null, reason: NOT_REPORTED });
    expect(stats.ports).toBeNull();
    expect(stats.portsReason).toContain(NOT_REPORTED);
    expect(stats.mos).toEqual({ value: null, samples: 5, reason: NOT_REPORTED });
  });
});

describe("the rtpengine-ng probe and the node page", () => {
  const engines: RtpengineInstance[] = [
    { url: "udp:127.0.0.1:22222", set: 0, state: "up", recheckSeconds: null, label: "up" },
    { url: "udp:127.0.0.1:22999", set: 0, state: "up", recheckSeconds: null, label: "up" },
    { url: "udp:127.0.0.1:23000", set: 0, state: "disabled", recheckSeconds: null, label: "disabled" },
  ];
  const stats = fromNg(ngReply());
  const ctx = {
    rpc: {} as ProbeRpc,
    earlier: new Map([["rtpengine", engines]]),
    ngPing: async (address: string) => {
      if (address !== "127.0.0.1:22222") throw new Error(`no reply from ${address}`);
    },
    ngSessions: async () => ({ ...stats.sessions, stats }),
  } satisfies ProbeContext;

  it("carries each answering server's stats next to its sessions (same shape as before for sessions)", async () => {
    const result = await rtpengineNgProbe.collect(ctx);
    expect(result.sessions).toEqual([
      { url: "udp:127.0.0.1:22222", via: "ng", own: 2, foreign: 0, total: 2 },
    ]);
    expect(result.stats).toEqual([{ url: "udp:127.0.0.1:22222", ...stats }]);
    const [up, silent, disabled] = engines.map((e) => instanceStatsOf(result, e.url, true));
    expect(up).toEqual({ stats, statsReason: null });
    expect(silent).toEqual({ stats: null, statsReason: "no answer: no reply from 127.0.0.1:22999" });
    expect(disabled?.stats).toBeNull();
    expect(disabled?.statsReason).toMatch(/^not pinged/);
    expect(instanceStatsOf(result, engines[0]?.url ?? "", false)).toMatchObject({ stats: null });
  });

  it("snapshot and cells: '—' with the reason for unknown, values with their samples", () => {
    const state = RtpengineStateSchema.parse({
      url: "udp:127.0.0.1:22222",
      set: 0,
      up: true,
      disabled: false,
      state: "up",
      label: "up",
      recheckSeconds: null,
      ngAnswered: true,
      stats: { ...stats, mos: { value: 4.1, samples: 3, reason: null } },
      statsReason: null,
    });
    expect(statCell(state, "sessions").text).toBe("2");
    expect(statCell(state, "packetRate")).toMatchObject({
      text: "0",
      title: "0 bytes/s, 0 errors/s (NG statistics)",
    });
    expect(statCell(state, "mos").text).toBe("4.10 (3)");
    expect(statCell(state, "jitter")).toEqual({ text: "—", title: `jitter (RTCP): ${NOT_REPORTED}` });
    expect(statCell(state, "ports")).toEqual({
      text: "8 / 9,992",
      title: "default 127.0.0.1: 8 used, 9992 free of 10000",
    });
    expect(statCell({ ...state, stats }, "mos").text).toBe("—"); // 0 samples: never "0.00"
    expect(statCell({ stats: null, statsReason: "no answer: timeout" }, "ports")).toEqual({
      text: "—",
      title: "no answer: timeout",
    });
    expect(statCell({}, "sessions").title).toMatch(/KAMDASH_RTPENGINE_PING=off/);
  });
});

describe("Prometheus per-instance gauges", () => {
  it("ports, sessions and rates per node and instance; no series for a null MOS or an unknown instance", async () => {
    const stats = fromNg(ngReply());
    const engine = (url: string, known: boolean) => ({ url, stats: known ? stats : null });
    const fleet = {
      nodes: [
        { name: "edge1", up: true, rtpengines: [engine("udp:a:1", true), engine("udp:b:2", false)] },
        { name: "edge2", up: false, rtpengines: [engine("udp:c:3", true)] },
      ],
    } as unknown as FleetSnapshot;
    const samples = async (name: string) =>
      rtpengineFamilies.find((f) => f.name === name)?.samples({ fleet, now: new Date() });
    expect(await samples("kamdash_rtpengine_ports_free")).toEqual([
      { labels: { node: "edge1", instance: "udp:a:1" }, value: 9992 },
    ]);
    expect(await samples("kamdash_rtpengine_ports_used")).toEqual([
      { labels: { node: "edge1", instance: "udp:a:1" }, value: 8 },
    ]);
    expect(await samples("kamdash_rtpengine_instance_sessions")).toEqual([
      { labels: { node: "edge1", instance: "udp:a:1" }, value: 2 },
    ]);
    expect(await samples("kamdash_rtpengine_packets_per_second")).toEqual([
      { labels: { node: "edge1", instance: "udp:a:1" }, value: 0 },
    ]);
    expect(await samples("kamdash_rtpengine_mos")).toEqual([]); // 0 samples: no series, not 0
    expect(await samples("kamdash_rtpengine_jitter_seconds")).toEqual([]);
  });
});
