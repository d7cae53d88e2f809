import { describe, expect, it } from "vitest";
import { LoginRateLimiter, loginRateLimitKeys, usernameKey } from "@/lib/auth/rate-limit";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("login rate limiter", () => {
  it("refuses the 6th attempt within 5 minutes and says when to retry", () => {
    const time = clock();
    const limiter = new LoginRateLimiter({ now: time.now });
    const keys = loginRateLimitKeys("192.0.2.1", "Alice");
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(limiter.attempt(keys)).toEqual({ allowed: true });
      time.advance(10_000);
    }
    const refused = limiter.attempt(keys);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 300 - 50 });
    // The oldest failure leaves the window: one more attempt is allowed.
    time.advance(250_000);
    expect(limiter.attempt(keys)).toEqual({ allowed: true });
    expect(limiter.attempt(keys).allowed).toBe(false);
  });

  it("counts per username across IPs and per IP across usernames", () => {
    const time = clock();
    const limiter = new LoginRateLimiter({ now: time.now });
    for (let i = 0; i < 5; i += 1) limiter.attempt(loginRateLimitKeys(`198.51.100.${i}`, "admin"));
    expect(limiter.check(loginRateLimitKeys("203.0.113.9", "admin")).allowed).toBe(false);
    expect(limiter.check(loginRateLimitKeys("203.0.113.9", "bob")).allowed).toBe(true);

    for (let i = 0; i < 5; i += 1) limiter.attempt(loginRateLimitKeys("203.0.113.50", `user${i}`));
    expect(limiter.check(loginRateLimitKeys("203.0.113.50", "carol")).allowed).toBe(false);
    expect(limiter.check(loginRateLimitKeys("203.0.113.51", "carol")).allowed).toBe(true);
  });

  it("treats usernames case-insensitively", () => {
    expect(usernameKey(" Admin ")).toBe(usernameKey("admin"));
    expect(loginRateLimitKeys(null, "x")).toEqual(["user:x"]);
  });

  it("forgets a successful attempt: clears the username, takes back one IP entry", () => {
    const time = clock();
    const limiter = new LoginRateLimiter({ now: time.now });
    const keys = loginRateLimitKeys("192.0.2.7", "dave");
    for (let i = 0; i < 4; i += 1) limiter.attempt(keys);
    limiter.attempt(keys);
    limiter.succeeded(keys, usernameKey("dave"));
    // Username cleared; the IP still has its 4 real failures, so one more attempt is allowed, then refused.
    expect(limiter.attempt(loginRateLimitKeys("192.0.2.7", "erin")).allowed).toBe(true);
    expect(limiter.attempt(loginRateLimitKeys("192.0.2.7", "erin")).allowed).toBe(false);
    expect(limiter.check(loginRateLimitKeys("192.0.2.8", "dave")).allowed).toBe(true);
  });

  it("bounds memory", () => {
    const time = clock();
    const limiter = new LoginRateLimiter({ now: time.now, maxKeys: 100 });
    for (let i = 0; i < 1000; i += 1) limiter.recordFailure([`user:u${i}`]);
    expect(limiter.trackedKeys).toBeLessThanOrEqual(100);
    time.advance(301_000);
    limiter.recordFailure(["user:last"]);
    expect(limiter.check(["user:u999"])).toEqual({ allowed: true });
  });
});
