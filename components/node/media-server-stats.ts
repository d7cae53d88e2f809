import type { RtpengineState } from "@/lib/poller/snapshot";
import type { RtpengineInstanceStats } from "@/lib/rtpengine/instance-stats";

// The node page's per-instance RTPEngine cells: text and a title (tooltip). A number RTPEngine did not give is
// "—" with the reason as its title, never 0. No hooks: pure functions, usable from a Server Component.

export type StatCell = { text: string; title: string };

const NOT_PINGED = "kamdash does not read RTPEngine statistics (KAMDASH_RTPENGINE_PING=off)";
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const unknown = (title: string): StatCell => ({ text: "—", title });
const source = (stats: RtpengineInstanceStats) =>
  stats.via === "ng" ? "NG statistics" : "RTPEngine /metrics";

export type StatColumn = "sessions" | "packetRate" | "mos" | "jitter" | "loss" | "ports";

/** The column names, in table order, with what each shows. */
export const statColumns: readonly { key: StatColumn; label: string }[] = [
  { key: "sessions", label: "Sessions" },
  { key: "packetRate", label: "Packets/s" },
  { key: "mos", label: "MOS (samples)" },
  { key: "jitter", label: "Jitter" },
  { key: "loss", label: "Loss" },
  { key: "ports", label: "Ports used / free" },
];

function averageCell(
  average: RtpengineInstanceStats["mos"],
  format: (value: number) => string,
  what: string,
  stats: RtpengineInstanceStats,
): StatCell {
  if (average.value === null) return unknown(`${what}: ${average.reason ?? "unknown"}`);
  const samples = average.samples === null ? "" : ` over ${whole.format(average.samples)} samples`;
  return {
    text: format(average.value),
    title: `${what}, average since RTPEngine started${samples} (${source(stats)})`,
  };
}

function cellOf(stats: RtpengineInstanceStats, column: StatColumn): StatCell {
  switch (column) {
    case "sessions": {
      const { own, foreign, total } = stats.sessions;
      return {
        text: foreign > 0 ? `${whole.format(own)} (+${whole.format(foreign)} foreign)` : whole.format(own),
        title: `own ${own} (its calls), foreign ${foreign} (a cluster peer's), total ${total} (${source(stats)})`,
      };
    }
    case "packetRate": {
      const { packetRate, byteRate, errorRate } = stats;
      if (packetRate.value === null) return unknown(`packets/s: ${packetRate.reason ?? "unknown"}`);
      const bytes = byteRate.value === null ? "bytes/s unknown" : `${whole.format(byteRate.value)} bytes/s`;
      const errors =
        errorRate.value === null ? "errors/s unknown" : `${whole.format(errorRate.value)} errors/s`;
      return { text: whole.format(packetRate.value), title: `${bytes}, ${errors} (${source(stats)})` };
    }
    case "mos": {
      const cell = averageCell(stats.mos, (v) => twoDecimals.format(v), "MOS", stats);
      const samples = stats.mos.samples;
      return stats.mos.value === null || samples === null
        ? cell
        : { ...cell, text: `${cell.text} (${whole.format(samples)})` };
    }
    case "jitter":
      return averageCell(stats.jitterMs, (v) => `${oneDecimal.format(v)} ms`, "jitter (RTCP)", stats);
    case "loss":
      return averageCell(
        stats.packetLossPct,
        (v) => `${oneDecimal.format(v)} %`,
        "packet loss (RTCP)",
        stats,
      );
    case "ports": {
      const ports = stats.ports;
      if (!ports) return unknown(`ports: ${stats.portsReason ?? "unknown"}`);
      const each = ports.interfaces
        .map((i) => `${i.name} ${i.address}: ${i.used} used, ${i.free} free of ${i.total}`)
        .join("; ");
      return { text: `${whole.format(ports.used)} / ${whole.format(ports.free)}`, title: each };
    }
  }
}

/** One table cell of an instance: its value, or "—" with why it is unknown. */
export function statCell(
  engine: Pick<RtpengineState, "stats" | "statsReason">,
  column: StatColumn,
): StatCell {
  if (engine.stats === undefined) return unknown(NOT_PINGED);
  if (engine.stats === null) return unknown(engine.statsReason ?? "not read this cycle");
  return cellOf(engine.stats, column);
}
