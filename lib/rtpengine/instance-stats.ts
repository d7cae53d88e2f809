import { z } from "zod";
import {
  fetchRtpengineMetrics,
  metricValue,
  type PrometheusText,
  type MetricsSessions as SessionCounts,
  sessionsFromMetrics,
} from "./metrics";
import type { NgStatisticsReply } from "./ng-schemas";

// What one RTPEngine says about itself (issue #8 "per instance"): sessions, rates, quality averages and ports.
// Read from NG `statistics`, or from HTTP /metrics when NG does not answer. A number RTPEngine does not give is
// null with the reason, never 0 (a MOS average over 0 samples is "no samples", not a MOS of 0).

export const NOT_REPORTED = "not reported by this RTPEngine";
const NOT_IN_METRICS = "not in RTPEngine's /metrics (NG statistics gives it; NG did not answer)";

/** A per-second rate from currentstatistics, or null with why. */
export const RtpengineRateSchema = z.object({
  value: z.number().nonnegative().nullable(),
  reason: z.string().nullable(),
});
export type RtpengineRate = z.infer<typeof RtpengineRateSchema>;

/** An average over every sample since RTPEngine started; null value when there are no samples or no such field. */
export const RtpengineAverageSchema = z.object({
  value: z.number().nullable(),
  /** How many samples the average is over; null when RTPEngine does not report the count. */
  samples: z.number().int().nonnegative().nullable(),
  reason: z.string().nullable(),
});
export type RtpengineAverage = z.infer<typeof RtpengineAverageSchema>;

const portCounts = {
  used: z.number().int().nonnegative(),
  free: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
};

export const RtpenginePortsSchema = z.object({
  ...portCounts,
  /** Per local interface (NG interfaces[] or /metrics rtpengine_ports*{name,address}). */
  interfaces: z.array(z.object({ name: z.string(), address: z.string(), ...portCounts })),
});

export const RtpengineInstanceStatsSchema = z.object({
  /** Where it was read: NG `statistics` or HTTP /metrics. */
  via: z.enum(["ng", "metrics"]),
  /** Current sessions: own (its calls), foreign (a cluster peer's), total. */
  sessions: z.object({
    own: z.number().int().nonnegative(),
    foreign: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** Packets relayed per second (currentstatistics.packetrate, userspace + kernel). */
  packetRate: RtpengineRateSchema,
  /** Bytes relayed per second (currentstatistics.byterate). */
  byteRate: RtpengineRateSchema,
  /** Relay errors per second (currentstatistics.errorrate). */
  errorRate: RtpengineRateSchema,
  /** MOS (1–5) since start: mos.mos_average over mos_samples_total, computed by RTPEngine from RTCP. */
  mos: RtpengineAverageSchema,
  /** Jitter reported by RTCP since start, ms (voip_metrics.jitter_average; newer RTPEngine only). */
  jitterMs: RtpengineAverageSchema,
  /** Packet loss reported by RTCP since start, % (voip_metrics.packetloss_average; newer RTPEngine only). */
  packetLossPct: RtpengineAverageSchema,
  /** Media ports summed over its interfaces; null when not reported (`portsReason`). */
  ports: RtpenginePortsSchema.nullable(),
  portsReason: z.string().nullable(),
});
export type RtpengineInstanceStats = z.infer<typeof RtpengineInstanceStatsSchema>;

const rate = (value: number | undefined, missing = NOT_REPORTED): RtpengineRate =>
  value === undefined || value < 0 ? { value: null, reason: missing } : { value, reason: null };

/** An average: null with "no samples yet" when RTPEngine counted none (it then prints 0.000000, not a value). */
export function average(
  value: number | null | undefined,
  samples: number | null | undefined,
  noSamples: string,
): RtpengineAverage {
  const count = samples === undefined || samples === null || samples < 0 ? null : Math.round(samples);
  if (value === undefined || value === null) return { value: null, samples: count, reason: NOT_REPORTED };
  if (count === 0) return { value: null, samples: 0, reason: noSamples };
  return { value, samples: count, reason: null };
}

const NO_MOS = "no MOS samples yet (RTPEngine computes MOS from RTCP reports)";
const NO_RTCP = "no samples yet (no RTCP reports received)";

type PortInterface = z.infer<typeof RtpenginePortsSchema>["interfaces"][number];

function sumPorts(interfaces: PortInterface[]): z.infer<typeof RtpenginePortsSchema> {
  const ports = { used: 0, free: 0, total: 0, interfaces };
  for (const i of interfaces) {
    ports.used += i.used;
    ports.free += i.free;
    ports.total += i.total;
  }
  return ports;
}

/** Per-instance numbers from an NG `statistics` reply (validated by ngStatisticsReplySchema). */
export function instanceStatsFromNg(statistics: NgStatisticsReply["statistics"]): RtpengineInstanceStats {
  const c = statistics.currentstatistics;
  const voip = statistics.voip_metrics;
  const interfaces = statistics.interfaces?.map((i) => ({
    name: i.name,
    address: i.address,
    used: i.ports.used,
    free: i.ports.free,
    total: i.ports.totals,
  }));
  return {
    via: "ng",
    sessions: { own: c.sessionsown, foreign: c.sessionsforeign, total: c.sessionstotal },
    packetRate: rate(c.packetrate),
    byteRate: rate(c.byterate),
    errorRate: rate(c.errorrate),
    mos: average(statistics.mos?.mos_average, statistics.mos?.mos_samples_total, NO_MOS),
    jitterMs: average(voip?.jitter_average, voip?.jitter_samples_total, NO_RTCP),
    packetLossPct: average(voip?.packetloss_average, voip?.packetloss_samples_total, NO_RTCP),
    ports: interfaces ? sumPorts(interfaces) : null,
    portsReason: interfaces ? null : `NG statistics: ${NOT_REPORTED} (no interfaces list)`,
  };
}

/** sum / samples of a `<name>_total` + `<name>_samples_total` pair of /metrics counters. */
function metricsAverage(metrics: PrometheusText, name: string, noSamples: string): RtpengineAverage {
  const total = metricValue(metrics, `rtpengine_${name}_total`);
  const samples = metricValue(metrics, `rtpengine_${name}_samples_total`);
  if (total === null || samples === null || !Number.isFinite(total)) return average(null, samples, noSamples);
  return average(samples > 0 ? total / samples : 0, samples, noSamples);
}

/** Per-interface ports from rtpengine_ports_used / _free / rtpengine_ports {name, address}. */
function metricsPorts(metrics: PrometheusText): RtpengineInstanceStats["ports"] {
  const interfaces: PortInterface[] = [];
  for (const sample of metrics.samples.filter((s) => s.name === "rtpengine_ports_used")) {
    const labels = { name: sample.labels.name ?? "", address: sample.labels.address ?? "" };
    const free = metricValue(metrics, "rtpengine_ports_free", labels);
    const total = metricValue(metrics, "rtpengine_ports", labels);
    const counts = [sample.value, free, total];
    if (!counts.every((n) => n !== null && Number.isSafeInteger(n) && n >= 0)) return null;
    interfaces.push({ ...labels, used: sample.value, free: free as number, total: total as number });
  }
  return interfaces.length === 0 ? null : sumPorts(interfaces);
}

/**
 * Per-instance numbers from a /metrics reply and its sessions (sessionsFromMetrics). /metrics has no per-second
 * rates (only counters), so those are null with the reason; MOS, jitter and loss are the `_total ÷ _samples_total`
 * counters (jitter and loss only on RTPEngine versions that export them).
 */
export function instanceStatsFromMetrics(
  metrics: PrometheusText,
  sessions: SessionCounts,
): RtpengineInstanceStats {
  const ports = metricsPorts(metrics);
  return {
    via: "metrics",
    sessions,
    packetRate: rate(undefined, NOT_IN_METRICS),
    byteRate: rate(undefined, NOT_IN_METRICS),
    errorRate: rate(undefined, NOT_IN_METRICS),
    mos: metricsAverage(metrics, "mos", NO_MOS),
    jitterMs: metricsAverage(metrics, "jitter", NO_RTCP),
    packetLossPct: metricsAverage(metrics, "packetloss", NO_RTCP),
    ports,
    portsReason: ports ? null : `/metrics: ${NOT_REPORTED} (no readable rtpengine_ports_used/_free series)`,
  };
}

/** Sessions (as readMetricsSessions) plus every per-instance number /metrics gives. */
export type MetricsInstance = SessionCounts & { stats: RtpengineInstanceStats };

/**
 * GET `url` (an RTPEngine /metrics): its sessions and per-instance numbers. Rejects as readMetricsSessions does
 * (http 404 before mr9.2, timeout, network, invalid_reply when the sessions gauge is missing).
 */
export async function readMetricsInstance(url: string, timeoutMs = 1_000): Promise<MetricsInstance> {
  const metrics = await fetchRtpengineMetrics({ url, timeoutMs, maxBytes: 1024 * 1024 });
  const sessions = sessionsFromMetrics(metrics, url);
  return { ...sessions, stats: instanceStatsFromMetrics(metrics, sessions) };
}
