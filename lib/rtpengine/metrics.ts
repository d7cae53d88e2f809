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
  /** RTPEngine's --listen-http base, e.g. http://127.0.0.1:22223 ("/metrics" is appended) … */
  baseUrl?: string;
  /** … or the full metrics URL as an admin set it, e.g. http://10.0.0.5:22223/metrics (used as is). */
  url?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * GET RTPEngine's /metrics and parse it. Throws RtpengineError: `http` with the status (404 before mr9.2, which
 * has no /metrics), `timeout`, `network`, `too_large`. Unreadable lines are kept in `skipped`, not thrown.
 */
export async function fetchRtpengineMetrics(options: FetchMetricsOptions): Promise<PrometheusText> {
  const url = options.url ?? new URL("/metrics", options.baseUrl ?? "").toString();
  const timeoutMs = options.timeoutMs ?? 2_000;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const base = { command: "/metrics", target: options.url ?? options.baseUrl ?? "" };
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

/** Current sessions of one RTPEngine: own (its calls), foreign (a cluster peer's), total = own + foreign. */
export type MetricsSessions = { own: number; foreign: number; total: number };

/**
 * Current sessions from a /metrics reply: the gauge `rtpengine_sessions{type="own"|"foreign"}` (RTPEngine 10.5's
 * names; `rtpengine_sessions_total` is a counter of every session ever managed, not used). `total` = own + foreign,
 * as NG `statistics` sessionstotal. Throws RtpengineError `invalid_reply` naming the series when one is missing or
 * is not a whole number ≥ 0: a missing series means "not reported", never 0.
 */
export function sessionsFromMetrics(metrics: PrometheusText, target = ""): MetricsSessions {
  const read = (type: "own" | "foreign") => {
    const value = metricValue(metrics, "rtpengine_sessions", { type });
    if (value === null || !Number.isSafeInteger(value) || value < 0) {
      throw new RtpengineError({
        kind: "invalid_reply",
        command: "/metrics",
        target,
        fieldPath: `rtpengine_sessions{type="${type}"}`,
        detail:
          value === null
            ? `no rtpengine_sessions{type="${type}"} series`
            : `rtpengine_sessions{type="${type}"} is ${value}, not a session count`,
      });
    }
    return value;
  };
  const own = read("own");
  const foreign = read("foreign");
  return { own, foreign, total: own + foreign };
}

/**
 * GET `url` (an RTPEngine /metrics) and read its current sessions. Rejects with RtpengineError: `http` 404 on
 * RTPEngine before mr9.2 (no /metrics), `timeout`, `network`, `invalid_reply` when the sessions gauge is missing or
 * not a count. Missing is an error ("not reported"), never 0.
 */
export async function readMetricsSessions(url: string, timeoutMs = 1_000): Promise<MetricsSessions> {
  return sessionsFromMetrics(await fetchRtpengineMetrics({ url, timeoutMs, maxBytes: 1024 * 1024 }), url);
}
