import { z } from "zod";
import { type HandshakeAttempt, handshakeOutcomes } from "@/lib/handshake/attempt";

// Handshake latency per window (1 min, 5 min, 1 h) from the node's handshake attempts: p50, p95 and max of the
// TCP-connect-to-upgrade time of the attempts that succeeded, and the failures counted by outcome.

export const HANDSHAKE_WINDOWS = [
  { window: "1m", ms: 60_000 },
  { window: "5m", ms: 300_000 },
  { window: "1h", ms: 3_600_000 },
] as const;

const LONGEST_MS = Math.max(...HANDSHAKE_WINDOWS.map((w) => w.ms));

const AttemptSchema = z.object({
  at: z.string(),
  url: z.string(),
  outcome: z.enum(handshakeOutcomes),
  reason: z.string().nullable(),
  tcpMs: z.number().nullable(),
  tlsMs: z.number().nullable(),
  upgradeMs: z.number().nullable(),
  optionsMs: z.number().nullable(),
  handshakeMs: z.number().nullable(),
  httpStatus: z.number().nullable(),
  sipStatus: z.number().nullable(),
});

export const HandshakeWindowSchema = z.object({
  window: z.enum(["1m", "5m", "1h"]),
  attempts: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  /** Failed attempts by outcome (refused, tls_error, http_error, timeout, sip_error, error). */
  failures: z.record(z.string(), z.number().int().positive()),
  /** Over the successful attempts, ms; null with none. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  maxMs: z.number().nullable(),
  /** SIP OPTIONS round trip p95 over the successful attempts, ms. */
  optionsP95Ms: z.number().nullable(),
});
export type HandshakeWindow = z.infer<typeof HandshakeWindowSchema>;

export const HandshakeSummarySchema = z.object({
  last: AttemptSchema,
  windows: z.array(HandshakeWindowSchema),
});
export type HandshakeSummary = z.infer<typeof HandshakeSummarySchema>;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** One node's handshake attempts over the last hour. */
export class HandshakeWindows {
  private attempts: HandshakeAttempt[] = [];

  add(attempt: HandshakeAttempt): void {
    if (this.attempts.at(-1)?.at === attempt.at) return; // the same attempt seen again between two attempts
    this.attempts.push(attempt);
    const oldest = Date.parse(attempt.at) - LONGEST_MS;
    while ((this.attempts[0] && Date.parse(this.attempts[0].at) < oldest) === true) this.attempts.shift();
  }

  /** Windows ending at `nowMs`; null when no attempt was made yet. */
  summary(nowMs: number): HandshakeSummary | null {
    const last = this.attempts.at(-1);
    if (!last) return null;
    const windows = HANDSHAKE_WINDOWS.map(({ window, ms }): HandshakeWindow => {
      const inside = this.attempts.filter((a) => Date.parse(a.at) > nowMs - ms);
      const ok = inside.filter((a) => a.outcome === "ok");
      const latencies = ok
        .map((a) => a.handshakeMs)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      const options = ok
        .map((a) => a.optionsMs)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      const failures: Record<string, number> = {};
      for (const a of inside) if (a.outcome !== "ok") failures[a.outcome] = (failures[a.outcome] ?? 0) + 1;
      return {
        window,
        attempts: inside.length,
        ok: ok.length,
        failures,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        maxMs: latencies.at(-1) ?? null,
        optionsP95Ms: percentile(options, 95),
      };
    });
    return { last, windows };
  }
}
