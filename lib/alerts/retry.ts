// Retries with exponential back-off for alert deliveries.

import { log } from "@/lib/log";

/** Waits before the 2nd … 6th attempt, ms: 1 s, 2 s, 4 s, 8 s, 16 s; after the 6th failure it is given up. */
export const RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16000];

export type AttemptResult = { ok: boolean; httpStatus: number | null; error: string | null };

export type RetryOptions = {
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  /** Called after every attempt (1-based), `final` when it is the last one (delivered or given up). */
  onAttempt: (attempt: number, result: AttemptResult, final: boolean) => Promise<void> | void;
};

export const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds or the delays are used up; true when delivered. Never throws. */
export async function withRetries(
  attempt: (n: number) => Promise<AttemptResult>,
  options: RetryOptions,
): Promise<boolean> {
  const delays = options.delaysMs ?? RETRY_DELAYS_MS;
  const sleep = options.sleep ?? sleepMs;
  for (let n = 1; n <= delays.length + 1; n += 1) {
    let result: AttemptResult;
    try {
      result = await attempt(n);
    } catch (error) {
      result = { ok: false, httpStatus: null, error: error instanceof Error ? error.message : String(error) };
    }
    const final = result.ok || n === delays.length + 1;
    try {
      await options.onAttempt(n, result, final);
    } catch (error) {
      log.error({ err: error }, "alerts: could not record a delivery attempt");
    }
    if (result.ok) return true;
    if (final) return false;
    await sleep(delays[n - 1] ?? 0);
  }
  return false;
}
