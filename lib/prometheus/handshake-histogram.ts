import { Counter, Histogram, type Metric } from "prom-client";
import { type HandshakeAttempt, handshakeOutcomes } from "@/lib/handshake/attempt";

// The handshake probe's attempts as Prometheus instruments that live for the whole process (unlike the families
// read from the snapshot at scrape time): each attempt the poller records is observed once, when it is recorded,
// never per scrape. Every scrape's Registry (export.ts) registers these same two instruments.
//
//   kamdash_ws_handshake_duration_seconds{node}       histogram: TCP connect to the end of the HTTP upgrade of the
//                                                     successful attempts (outcome "ok"), seconds
//   kamdash_ws_handshake_failures_total{node,reason}  counter: failed attempts, reason = the attempt's outcome
//                                                     (refused, tls_error, http_error — e.g. 403 for the Origin —,
//                                                     timeout, sip_error, error)
//
// They sit on globalThis because Next bundles the poller (instrumentation) and the /metrics route separately.

/** Bucket upper bounds, s: dense around the seed's 500 ms threshold, up to the probe's 5 s timeout. */
export const HANDSHAKE_BUCKETS_S: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 1, 2, 5,
];

export const HANDSHAKE_DURATION_NAME = "kamdash_ws_handshake_duration_seconds";
export const HANDSHAKE_FAILURES_NAME = "kamdash_ws_handshake_failures_total";

type Instruments = {
  duration: Histogram<"node">;
  failures: Counter<"node" | "reason">;
  /** Per node, the start time (ISO) of the last attempt observed: the same attempt is never counted twice. */
  lastAt: Map<string, string>;
};

const key = Symbol.for("kamdash.prometheus.handshake");
type GlobalWithInstruments = typeof globalThis & { [key]?: Instruments };

function instruments(): Instruments {
  const g = globalThis as GlobalWithInstruments;
  g[key] ??= {
    duration: new Histogram({
      name: HANDSHAKE_DURATION_NAME,
      help: "WebSocket handshake of kamdash's probe, TCP connect to the end of the HTTP upgrade, successful attempts only (seconds; one observation per attempt).",
      labelNames: ["node"],
      buckets: [...HANDSHAKE_BUCKETS_S],
      registers: [],
    }),
    failures: new Counter({
      name: HANDSHAKE_FAILURES_NAME,
      help: "Failed handshake attempts of kamdash's probe by reason (refused, tls_error, http_error, timeout, sip_error, error).",
      labelNames: ["node", "reason"],
      registers: [],
    }),
    lastAt: new Map(),
  };
  return g[key];
}

/**
 * Records one handshake attempt of `node`: an "ok" attempt with a handshake time (ms) is observed in the histogram
 * (in seconds), any other outcome counts one failure with reason = outcome. An attempt with the same start time
 * (`at`) as the node's last recorded one is ignored, so re-reading a probe's last value never counts it again.
 * Returns whether the attempt was recorded.
 */
export function observeHandshakeAttempt(node: string, attempt: HandshakeAttempt): boolean {
  const { duration, failures, lastAt } = instruments();
  if (lastAt.get(node) === attempt.at) return false;
  lastAt.set(node, attempt.at);
  if (attempt.outcome === "ok") {
    if (attempt.handshakeMs === null || !Number.isFinite(attempt.handshakeMs)) return false;
    duration.observe({ node }, Math.max(0, attempt.handshakeMs) / 1000);
  } else {
    failures.inc({ node, reason: attempt.outcome });
  }
  return true;
}

/**
 * The two instruments for a scrape's Registry, after dropping the series of nodes not in `nodes` (a removed node's
 * series stop; if it comes back, they start again from 0, which Prometheus reads as a counter reset).
 */
export function handshakeMetrics(nodes: ReadonlySet<string>): Metric[] {
  const { duration, failures, lastAt } = instruments();
  for (const node of [...lastAt.keys()]) {
    if (nodes.has(node)) continue;
    lastAt.delete(node);
    duration.remove({ node });
    for (const reason of handshakeOutcomes) if (reason !== "ok") failures.remove({ node, reason });
  }
  return [duration, failures];
}

/** Tests: starts both instruments from nothing. */
export function resetHandshakeMetrics(): void {
  const { duration, failures, lastAt } = instruments();
  duration.reset();
  failures.reset();
  lastAt.clear();
}
