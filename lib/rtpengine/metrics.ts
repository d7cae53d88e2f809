import { readLimited } from "../kamailio/transport";
import { RtpengineError } from "./errors";

export interface PrometheusSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface PrometheusText {
  samples: PrometheusSample[];
  /** `# TYPE` per metric family (counter, gauge, …). */
  types: Readonly<Record<string, string>>;
  /** Lines that could not be read, with their 1-based line number (kept for diagnostics, not fatal). */
  skipped: { line: number; text: string }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m || m.index !== start) return text.slice(start).trim() === "" ? labels : null;
    labels[m[1] as string] = unescapeLabel(m[2] as string);
  }
  return labels;
}

function parseValue(text: string): number | null {
  if (text === "+Inf" || text === "Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  const value = Number(text);
  return text.trim() !== "" && !Number.isNaN(value) ? value : null;
}

/** Parses the Prometheus text exposition format (as served by RTPEngine's /metrics). */
export function parsePrometheusText(text: string): PrometheusText {
  const samples: PrometheusSample[] = [];
  const types: Record<string, string> = {};
  const skipped: { line: number; text: string }[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    if (line.startsWith("#")) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type?.[1] && type[2]) types[type[1]] = type[2];
      return;
    }
    const m = SAMPLE.exec(line);
    const labels = m?.[3] !== undefined ? parseLabels(m[3]) : {};
    const value = m?.[4] !== undefined ? parseValue(m[4]) : null;
    if (!m?.[1] || labels === null || value === null) {
      skipped.push({ line: index + 1, text: raw });
      return;
    }
    samples.push({ name: m[1], labels, value });
  });
  return { samples, types, skipped };
}

/** The value of one series; with `labels`, every given label must match. Null when absent. */
export function metricValue(
  metrics: PrometheusText,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | null {
  const sample = metrics.samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return sample ? sample.value : null;
}

/** Sum over every series of a metric (e.g. rtpengine_packets_total across userspace and kernel). */
export function metricSum(metrics: PrometheusText, name: string): number | null {
  const matching = metrics.samples.filter((s) => s.name === name);
  return matching.length === 0 ? null : matching.reduce((total, s) => total + s.value, 0);
}

export interface FetchMetricsOptions {
  /** RTPEngine's --listen-http base, e.g. http://127.0.0.1:22223 */
  baseUrl: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export async function fetchRtpengineMetrics(options: FetchMetricsOptions): Promise<PrometheusText> {
  const url = new URL("/metrics", options.baseUrl).toString();
  const timeoutMs = options.timeoutMs ?? 2_000;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const base = { command: "/metrics", target: options.baseUrl };
  try {
    const response = await fetch(url, { signal: controller.signal });
    const body = await readLimited(response, maxBytes, () => controller.abort());
    if (body === "too_large") {
      throw new RtpengineError({ ...base, kind: "too_large", detail: `reply larger than ${maxBytes} bytes` });
    }
    if (!response.ok) {
      throw new RtpengineError({
        ...base,
        kind: "http",
        status: response.status,
        detail: `HTTP ${response.status}`,
      });
    }
    return parsePrometheusText(body);
  } catch (error) {
    if (error instanceof RtpengineError) throw error;
    if (timedOut)
      throw new RtpengineError({ ...base, kind: "timeout", detail: `no reply within ${timeoutMs} ms` });
    const message =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new RtpengineError({ ...base, kind: "network", detail: message, cause: error });
  } finally {
    clearTimeout(timer);
  }
}
