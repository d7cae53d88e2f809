import { describe, expect, it } from "vitest";
import { DEFAULT_LOGIN_LIMITS, type LoginLimits, LoginThrottle } from "@/lib/auth/rate-limit";

// The in-memory store (PGlite); the PostgreSQL store shared by replicas is in tests/integration/auth-rate-limit.test.ts.

const limits: LoginLimits = {
  address: { prefix: "ip", points: 5, durationS: 300 },
  usernameAtAddress: { prefix: "user-ip", points: 5, durationS: 300 },
  username: { prefix: "user", points: 8, durationS: 3600 },
  knownAddressS: 86_400,
};

async function fail(throttle: LoginThrottle, ip: string, username: string, times: number) {
  for (let i = 0; i < times; i += 1) expect(await throttle.attempt(ip, username)).toEqual({ allowed: true });
}

describe("login throttle (memory store)", () => {
  it("refuses the 6th attempt from one address within 5 minutes and says when to retry", async () => {
    const throttle = new LoginThrottle({ kind: "memory" }, limits);
    await fail(throttle, "192.0.2.1", "Alice", 5);
    const refused = await throttle.attempt("192.0.2.1", "alice");
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.retryAfterSeconds).toBeGreaterThan(295);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(300);
    // the same address is refused for other usernames too
    expect((await throttle.attempt("192.0.2.1", "bob")).allowed).toBe(false);
  });

  it("does not lock the username out from another address", async () => {
    const throttle = new LoginThrottle({ kind: "memory" }, limits);
    await fail(throttle, "198.51.100.1", "admin", 5);
    expect((await throttle.attempt("198.51.100.1", "admin")).allowed).toBe(false);
    expect(await throttle.attempt("203.0.113.9", "admin")).toEqual({ allowed: true });
  });

  it("caps one username across many addresses, except from an address it signed in from", async () => {
    const throttle = new LoginThrottle({ kind: "memory" }, limits);
    await throttle.attempt("203.0.113.50", "admin");
    await throttle.succeeded("203.0.113.50", "admin");
    for (let i = 0; i < 8; i += 1) await fail(throttle, `198.51.100.${i}`, "admin", 1);
    const refused = await throttle.attempt("198.51.100.200", "admin");
    expect(refused).toMatchObject({ allowed: false });
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(3500);
    // the address the admin signed in from is not subject to the all-addresses cap
    expect(await throttle.attempt("203.0.113.50", "admin")).toEqual({ allowed: true });
    // a failure that the per-address limits refused is not counted against the username
    expect((await throttle.attempt("198.51.100.200", "other")).allowed).toBe(true);
  });

  it("a successful sign-in takes back its attempt and clears that address's failures for the user", async () => {
    const throttle = new LoginThrottle({ kind: "memory" }, limits);
    await fail(throttle, "192.0.2.7", "carol", 4);
    expect((await throttle.attempt("192.0.2.7", "carol")).allowed).toBe(true);
    await throttle.succeeded("192.0.2.7", "carol");
    // per-address count is 4 now (the successful attempt was taken back): one more failure is allowed
    expect((await throttle.attempt("192.0.2.7", "carol")).allowed).toBe(true);
    expect((await throttle.attempt("192.0.2.7", "carol")).allowed).toBe(false);
  });

  it("keeps the default 30-day known address in memory (no timer overflow dropping it at once)", async () => {
    const throttle = new LoginThrottle(
      { kind: "memory" },
      { ...limits, knownAddressS: DEFAULT_LOGIN_LIMITS.knownAddressS },
    );
    await throttle.attempt("203.0.113.60", "dave");
    await throttle.succeeded("203.0.113.60", "dave");
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 8; i += 1) await fail(throttle, `198.51.100.${i}`, "dave", 1);
    expect((await throttle.attempt("198.51.100.201", "dave")).allowed).toBe(false);
    expect(await throttle.attempt("203.0.113.60", "dave")).toEqual({ allowed: true });
  });
});
