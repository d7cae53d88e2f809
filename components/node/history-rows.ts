import type { NodeHistory, NodeHistoryPoint } from "@/lib/metrics/queries/getNodeHistory";

// Chart rows of a node's history (plain TypeScript, no React): one row per bucket, null where there is nothing to
// draw (the chart leaves a gap), and the spans where the node was down.

/** The seed's branch-failure limit, percent. */
export const BRANCH_LIMIT_PERCENT = 1;
/** The seed's handshake latency limit, ms. */
export const HANDSHAKE_LIMIT_MS = 500;

export type ChartRow = { time: string } & Record<string, number | null | string>;

/** "14:05" within a day, "30 Nov 14:00" beyond (browser-local time). */
export function timeLabel(iso: string, bucketMs: number, rangeMs: number): string {
  const date = new Date(iso);
  if (rangeMs <= 24 * 60 * 60 * 1000)
    return date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  const day = date.toLocaleDateString("en-GB", { day: "numeric", month: "short" });
  return bucketMs >= 24 * 60 * 60 * 1000
    ? day
    : `${day} ${date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`;
}

const round = (value: number | null, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** A row per bucket with every series the node page charts, keyed by its legend name. */
export function chartRows(history: NodeHistory, label: (iso: string) => string): ChartRow[] {
  return history.points.map((p: NodeHistoryPoint) => ({
    time: label(p.at),
    WS: round(p.ws),
    WSS: round(p.wss),
    Registrations: round(p.registrations),
    "Sockets without registration": round(p.socketsWithoutRegistration),
    "Active dialogs": round(p.dialogsActive),
    "Early dialogs": round(p.dialogsEarly),
    "Failure rate %": p.branches.rate === null ? null : round(p.branches.rate * 100, 3),
    "1 % limit": BRANCH_LIMIT_PERCENT,
    p50: round(p.handshake?.p50Ms ?? null),
    p95: round(p.handshake?.p95Ms ?? null),
    max: round(p.handshake?.maxMs ?? null),
    "500 ms limit": HANDSHAKE_LIMIT_MS,
    "Kamailio handshakes ok": p.wsHandshakesOk,
    "Kamailio handshakes failed": p.wsHandshakesFailed,
    "Probe failures": p.handshake ? p.handshake.failures : null,
    "RTPEngine sessions": round(p.rtpengineSessions),
    "Answered calls": round(p.callsAnswered),
  }));
}

export type DownSpan = { fromIndex: number; toIndex: number; from: string; to: string };

/** Consecutive buckets in which the node was polled and never answered ([fromIndex, toIndex] inclusive). */
export function downSpans(
  points: readonly Pick<NodeHistoryPoint, "at" | "up">[],
  bucketMs: number,
): DownSpan[] {
  const spans: DownSpan[] = [];
  let start: number | null = null;
  points.forEach((p, i) => {
    if (p.up === false && start === null) start = i;
    const ends = start !== null && (p.up !== false || i === points.length - 1);
    if (ends && start !== null) {
      const last = p.up === false ? i : i - 1;
      const end = new Date(Date.parse(points[last]?.at ?? p.at) + bucketMs).toISOString();
      spans.push({ fromIndex: start, toIndex: last, from: points[start]?.at ?? p.at, to: end });
      start = null;
    }
  });
  return spans;
}

/** How many buckets had branches but too few to judge (shown beside the rate chart, not drawn as 0 %). */
export function tooFewBuckets(history: NodeHistory): number {
  return history.points.filter((p) => p.branches.verdict === "too_few").length;
}

/** "raw samples", "1-minute rollups", "1-hour rollups", with the bucket width. */
export function resolutionText(history: Pick<NodeHistory, "resolution" | "bucketMs">): string {
  const store =
    history.resolution === "raw"
      ? "raw samples"
      : history.resolution === "1m"
        ? "1-minute rollups"
        : "1-hour rollups";
  const minutes = history.bucketMs / 60_000;
  const width = minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
  return `${store}, ${width} buckets`;
}
