import type pg from "pg";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { getOpenDatabase } from "@/lib/db";

// Sign-in throttling with rate-limiter-flexible. With PostgreSQL the counters live in kamdash's own database
// (table rate_limit, made by a Prisma migration), so every replica counts the same failures and a restart keeps
// them. With embedded PGlite they live in memory: PGlite is one process holding the data folder's lock, so there
// is no other replica to share them with (a restart forgets them).
//
// Three limits, each a fixed window that starts at its first failure and simply ends (nothing locks for good):
//  - per client address: 5 failures in 5 minutes (stops one machine trying many usernames);
//  - per username AND client address: 5 in 5 minutes (stops one machine guessing one password). Keying the
//    username by address means a guesser elsewhere does not lock the real admin out of their own machine;
//  - per username from all addresses: 30 in 1 hour, counted only for attempts the two limits above let through
//    (stops a guesser with many addresses; an attacker needs at least two addresses to reach it). It does not
//    apply from an address this username signed in from within the last 30 days, so the real admin is not
//    locked out by someone guessing their name; from a new address they wait at most an hour after the
//    guessing stops.

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A limit: at most `points` counted attempts per fixed window of `durationS` seconds, per key. */
export type Limit = { prefix: string; points: number; durationS: number };

export type LoginLimits = {
  address: Limit;
  usernameAtAddress: Limit;
  username: Limit;
  knownAddressS: number;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  address: { prefix: "login-ip", points: 5, durationS: 5 * 60 },
  usernameAtAddress: { prefix: "login-user-ip", points: 5, durationS: 5 * 60 },
  username: { prefix: "login-user", points: 30, durationS: 60 * 60 },
  knownAddressS: 30 * 24 * 60 * 60,
};

/** Where counters live: the shared PostgreSQL table, or this process's memory (PGlite, tests). */
export type LimitStore = { kind: "postgres"; pool: pg.Pool } | { kind: "memory" };

export const RATE_LIMIT_TABLE = "rate_limit";
// RateLimiterMemory expires keys with setTimeout, which fires at once past 2^31-1 ms (24.8 days): in memory the
// 30-day known-address memory is kept 24 days instead of being dropped at once
const MEMORY_MAX_DURATION_S = 24 * 24 * 60 * 60;

/**
 * One limiter of `limit` on `store`; the PostgreSQL table must exist (the migration makes it). `clearsTable`: this
 * limiter also deletes rows of every limiter that expired over an hour ago, every 5 minutes (an unref'd timer;
 * one such limiter per process is enough).
 */
export function createLimiter(store: LimitStore, limit: Limit, clearsTable = false): RateLimiterAbstract {
  const options = { keyPrefix: limit.prefix, points: limit.points, duration: limit.durationS };
  if (store.kind === "memory")
    return new RateLimiterMemory({ ...options, duration: Math.min(limit.durationS, MEMORY_MAX_DURATION_S) });
  return new RateLimiterPostgres({
    ...options,
    storeClient: store.pool,
    storeType: "pool",
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: clearsTable,
  });
}

function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/**
 * Counts one attempt on each (limiter, key) pair, atomically per key in the store. Refused when any pair is
 * over its limit; Retry-After is the longest wait among those. A store failure is thrown, not taken as "allowed".
 */
export async function consumeAll(
  pairs: readonly [RateLimiterAbstract, string][],
): Promise<RateLimitDecision> {
  const results = await Promise.allSettled(pairs.map(([limiter, key]) => limiter.consume(key)));
  let waitMs = -1;
  for (const result of results) {
    if (result.status === "fulfilled") continue;
    if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
    waitMs = Math.max(waitMs, result.reason.msBeforeNext);
  }
  return waitMs < 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: retryAfterSeconds(waitMs) };
}

/** The lower-cased, trimmed username as the keys use it (bounded so a key fits the 255-character column). */
export function normalizedUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 128);
}

export class LoginThrottle {
  private readonly address: RateLimiterAbstract;
  private readonly usernameAtAddress: RateLimiterAbstract;
  private readonly username: RateLimiterAbstract;
  private readonly known: RateLimiterAbstract;
  private readonly knownAddressS: number;

  constructor(store: LimitStore, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.address = createLimiter(store, limits.address, true);
    this.usernameAtAddress = createLimiter(store, limits.usernameAtAddress);
    this.username = createLimiter(store, limits.username);
    this.knownAddressS =
      store.kind === "memory" ? Math.min(limits.knownAddressS, MEMORY_MAX_DURATION_S) : limits.knownAddressS;
    this.known = createLimiter(store, { prefix: "login-known", points: 1, durationS: this.knownAddressS });
  }

  /**
   * Counts a sign-in attempt before the password is checked (so parallel attempts cannot all slip past) and says
   * whether it may go on. `clientIp` null (address unknown) shares one "unknown" address key.
   */
  async attempt(clientIp: string | null, username: string): Promise<RateLimitDecision> {
    const ip = clientIp ?? "unknown";
    const user = normalizedUsername(username);
    const local = await consumeAll([
      [this.address, ip],
      [this.usernameAtAddress, `${user}@${ip}`],
    ]);
    if (!local.allowed) return local;
    if ((await this.known.get(`${user}@${ip}`)) !== null) return local;
    return consumeAll([[this.username, user]]);
  }

  /** After a successful sign-in: takes back this attempt's counts, forgets the failures of this username from
   * this address, and remembers the address as known for this username. */
  async succeeded(clientIp: string | null, username: string): Promise<void> {
    const ip = clientIp ?? "unknown";
    const user = normalizedUsername(username);
    await Promise.all([
      this.address.reward(ip, 1),
      this.usernameAtAddress.delete(`${user}@${ip}`),
      this.username.reward(user, 1),
      this.known.set(`${user}@${ip}`, 1, this.knownAddressS),
    ]);
  }
}

const throttleKey = Symbol.for("kamdash.auth.loginThrottle");
type GlobalWithThrottle = typeof globalThis & {
  [throttleKey]?: { pool: pg.Pool | null; throttle: LoginThrottle };
};

/** The process-wide throttle on the open database's store (on globalThis so every Next route bundle shares it). */
export async function loginRateLimiter(): Promise<LoginThrottle> {
  const open = await getOpenDatabase();
  const pool = open.pool ?? null;
  const g = globalThis as GlobalWithThrottle;
  // a reopened database (tests) gets a throttle on its own pool
  if (g[throttleKey]?.pool !== pool) {
    g[throttleKey] = {
      pool,
      throttle: new LoginThrottle(pool ? { kind: "postgres", pool } : { kind: "memory" }),
    };
  }
  return g[throttleKey].throttle;
}
