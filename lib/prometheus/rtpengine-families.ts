import type { FleetSnapshot } from "@/lib/poller/snapshot";
import type { RtpengineInstanceStats } from "@/lib/rtpengine/instance-stats";
import type { MetricFamily, MetricSample } from "./families";

// Per RTPEngine instance (issue #8 "per instance"), from the snapshot's rtpengines[].stats: what each media server
// reported this cycle over NG `statistics` (or /metrics when NG is silent). `instance` is the URL Kamailio lists
// (rtpengine.show). An instance whose stats are unknown, or a number it does not report (rates over /metrics,
// jitter and loss on RTPEngine 10.5, a MOS average over 0 samples), gives no series: never a 0.

type Pick = (stats: RtpengineInstanceStats) => number | null | undefined;

function perInstance(pick: Pick): (scrape: { fleet: FleetSnapshot }) => MetricSample[] {
  return ({ fleet }) =>
    fleet.nodes
      .filter((n) => n.up)
      .flatMap((node) =>
        (node.rtpengines ?? []).flatMap((engine) => {
          const value = engine.stats ? pick(engine.stats) : null;
          return value === null || value === undefined || !Number.isFinite(value)
            ? []
            : [{ labels: { node: node.name, instance: engine.url }, value }];
        }),
      );
}

const family = (name: string, help: string, pick: Pick): MetricFamily => ({
  name,
  help,
  type: "gauge",
  labelNames: ["node", "instance"],
  samples: perInstance(pick),
});

export const rtpengineFamilies: readonly MetricFamily[] = [
  family(
    "kamdash_rtpengine_instance_sessions",
    "Current sessions of one media server, own and foreign (NG statistics sessionstotal, or /metrics rtpengine_sessions).",
    (s) => s.sessions.total,
  ),
  family(
    "kamdash_rtpengine_packets_per_second",
    "Packets one media server relays per second, userspace + kernel (NG statistics currentstatistics.packetrate).",
    (s) => s.packetRate.value,
  ),
  family(
    "kamdash_rtpengine_bytes_per_second",
    "Bytes one media server relays per second (NG statistics currentstatistics.byterate).",
    (s) => s.byteRate.value,
  ),
  family(
    "kamdash_rtpengine_mos",
    "Average MOS (1-5) of one media server since it started, from RTCP (NG mos.mos_average; no series without samples).",
    (s) => s.mos.value,
  ),
  family(
    "kamdash_rtpengine_jitter_seconds",
    "Average RTCP-reported jitter of one media server since it started (NG voip_metrics.jitter_average; newer RTPEngine only).",
    (s) => (s.jitterMs.value === null ? null : s.jitterMs.value / 1000),
  ),
  family(
    "kamdash_rtpengine_packet_loss_ratio",
    "Average RTCP-reported packet loss (0..1) of one media server since it started (NG voip_metrics.packetloss_average; newer RTPEngine only).",
    (s) => (s.packetLossPct.value === null ? null : s.packetLossPct.value / 100),
  ),
  family(
    "kamdash_rtpengine_ports_used",
    "Media ports in use on one media server, summed over its interfaces (NG interfaces[].ports.used).",
    (s) => s.ports?.used,
  ),
  family(
    "kamdash_rtpengine_ports_free",
    "Media ports free on one media server, summed over its interfaces (NG interfaces[].ports.free).",
    (s) => s.ports?.free,
  ),
];
