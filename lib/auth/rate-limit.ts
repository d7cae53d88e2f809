// Login throttling: after `maxFailures` failed sign-ins within `windowMs` for the same key (a client IP or a
// username), further attempts for that key are refused until the oldest failure leaves the window.
//
// Kept in memory on purpose: kamdash runs as one process (PGlite) or a few replicas; with replicas each keeps its
// own counters, so the effective limit is per replica. A restart clears the counters. A per-username limit also
// lets someone lock a user out for `windowMs` by guessing; that is the accepted price of stopping online guessing.

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type LoginRateLimiterOptions = {
  maxFailures?: number;
  windowMs?: number;
  /** Bound on tracked keys, so a flood of distinct usernames/IPs cannot grow memory without limit. */
  maxKeys?: number;
  now?: () => number;
};

export class LoginRateLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly failures = new Map<string, number[]>();

  constructor(options: LoginRateLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.maxKeys = options.maxKeys ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Refuses when any key is over its limit; Retry-After is the longest wait among them. */
  check(keys: readonly string[]): RateLimitDecision {
    const now = this.now();
    let waitMs = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) {
        const oldestRelevant = recent[recent.length - this.maxFailures] ?? now;
        waitMs = Math.max(waitMs, oldestRelevant + this.windowMs - now);
      }
    }
    return waitMs > 0
      ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
      : { allowed: true };
  }

  /**
   * Check and count in one synchronous step, so parallel attempts cannot all pass the check before any failure is
   * recorded. Call succeeded() when the attempt turns out to be a successful sign-in.
   */
  attempt(keys: readonly string[]): RateLimitDecision {
    const decision = this.check(keys);
    if (decision.allowed) this.recordFailure(keys);
    return decision;
  }

  /** Undoes the attempt counted by attempt(): clears the username key, takes back the one entry of the others. */
  succeeded(keys: readonly string[], clearKey?: string): void {
    for (const key of keys) {
      if (key === clearKey) this.failures.delete(key);
      else this.failures.get(key)?.pop();
    }
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      // Only the newest maxFailures timestamps matter for the decision.
      this.failures.set(key, recent.slice(-this.maxFailures));
    }
    if (this.failures.size > this.maxKeys) this.evict(now);
  }

  get trackedKeys(): number {
    return this.failures.size;
  }

  private evict(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
    // Still too many live keys: drop the oldest inserted (Map keeps insertion order).
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

export function usernameKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`;
}

export function loginRateLimitKeys(clientIp: string | null, username: string): string[] {
  return clientIp ? [usernameKey(username), `ip:${clientIp}`] : [usernameKey(username)];
}

const limiterKey = Symbol.for("kamdash.auth.loginRateLimiter");
type GlobalWithLimiter = typeof globalThis & { [limiterKey]?: LoginRateLimiter };

/** The process-wide limiter (on globalThis so every Next route bundle shares it). */
export function loginRateLimiter(): LoginRateLimiter {
  const g = globalThis as GlobalWithLimiter;
  g[limiterKey] ??= new LoginRateLimiter();
  return g[limiterKey];
}
