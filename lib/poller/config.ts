import { z } from "zod";
import { type CanaryConfig, readCanaryConfig } from "@/lib/canary/config";
import { parseHandshakeTargets } from "@/lib/handshake/targets";
import type { HandshakeTarget } from "@/lib/handshake/ws-handshake";
import { DEFAULT_BRANCH_COUNTER_GROUP } from "./probes/branches";

export const MIN_POLL_INTERVAL_MS = 1000;
export const DEFAULT_POLL_INTERVAL_MS = 2000;

const wholeNumberFromEnv = (name: string, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`));

type EnvRecord = Readonly<Record<string, string | undefined>>;

export type PollerConfig = {
  enabled: boolean;
  intervalMs: number;
  /** Per-run timeout of one node's poll cycle (all probes + DB write). */
  runTimeoutMs: number;
  /** Timeout of each single Kamailio RPC call. */
  rpcTimeoutMs: number;
  rpcMaxReplyBytes: number;
  /** Counters group the branches probe reads with cnt.grp_get_all. */
  branchCounterGroup: string;
  /** How often the full lists (ul.dump, dlg.list) are fetched, ms (besides on demand). */
  heavyIntervalMs: number;
  /** Reply budget for those lists, bytes: a bigger reply fails only that probe, counts still flow. */
  heavyMaxReplyBytes: number;
  /** Longest back-off between attempts of a failing probe, ms. */
  probeBackoffMaxMs: number;
  /** How long a failing probe's last good values are still shown (greyed, with their age), ms. */
  staleMaxMs: number;
  /** NG ping of the media servers Kamailio lists (KAMDASH_RTPENGINE_PING=off when kamdash cannot reach them). */
  rtpenginePing: boolean;
  /** How often each node's WebSocket handshake is tried, ms. */
  handshakeIntervalMs: number;
  /** Per node name: where the handshake probe connects (KAMDASH_HANDSHAKE; the lab node from lab.json). */
  handshakeTargets: Map<string, HandshakeTarget>;
  /** The synthetic canary (lib/canary/config.ts): off unless KAMDASH_CANARY=on. */
  canary: CanaryConfig;
  /** Call media (lib/media/media-watch.ts): NG queries per node and cycle (0: off), and the one-way window, s. */
  media: { maxCalls: number; oneWayAfterS: number };
};

/** How long "Initializing - try later" may last before the probe counts as failing, ms. */
export const STARTUP_GRACE_MS = 60_000;
/** How often a probe the node cannot serve (module not loaded) is asked again, ms. */
export const UNAVAILABLE_RECHECK_MS = 60_000;

/** Reads KAMDASH_POLLER, KAMDASH_POLL_INTERVAL_MS, KAMDASH_RPC_TIMEOUT_MS, KAMDASH_RPC_MAX_REPLY_BYTES,
 * KAMDASH_BRANCH_COUNTER_GROUP, KAMDASH_HEAVY_INTERVAL_MS, KAMDASH_HEAVY_MAX_REPLY_BYTES,
 * KAMDASH_PROBE_BACKOFF_MAX_MS, KAMDASH_STALE_MAX_MS, KAMDASH_RTPENGINE_PING, KAMDASH_HANDSHAKE_INTERVAL_MS,
 * KAMDASH_HANDSHAKE, KAMDASH_MEDIA_MAX_CALLS, KAMDASH_ONE_WAY_AFTER_S, and the canary's KAMDASH_CANARY*
 * (lib/canary/config.ts); a bad value throws a readable error. */
export function readPollerConfig(env: EnvRecord = process.env): PollerConfig {
  const enabled = (env.KAMDASH_POLLER ?? "on").trim().toLowerCase() !== "off";
  const intervalMs = parseWholeNumber(
    env,
    "KAMDASH_POLL_INTERVAL_MS",
    MIN_POLL_INTERVAL_MS,
    DEFAULT_POLL_INTERVAL_MS,
  );
  const rpcTimeoutMs = parseWholeNumber(
    env,
    "KAMDASH_RPC_TIMEOUT_MS",
    100,
    Math.min(1500, Math.round(intervalMs * 0.75)),
  );
  return {
    enabled,
    intervalMs,
    rpcTimeoutMs,
    runTimeoutMs: Math.max(intervalMs * 2, rpcTimeoutMs * 2 + 1000),
    rpcMaxReplyBytes: parseWholeNumber(env, "KAMDASH_RPC_MAX_REPLY_BYTES", 1024, 32 * 1024 * 1024),
    branchCounterGroup: parseCounterGroup(env),
    heavyIntervalMs: parseWholeNumber(
      env,
      "KAMDASH_HEAVY_INTERVAL_MS",
      intervalMs,
      Math.max(intervalMs, 30_000),
    ),
    heavyMaxReplyBytes: parseWholeNumber(env, "KAMDASH_HEAVY_MAX_REPLY_BYTES", 1024, 8 * 1024 * 1024),
    probeBackoffMaxMs: parseWholeNumber(
      env,
      "KAMDASH_PROBE_BACKOFF_MAX_MS",
      intervalMs,
      Math.max(intervalMs, 60_000),
    ),
    staleMaxMs: parseWholeNumber(env, "KAMDASH_STALE_MAX_MS", 0, 5 * 60_000),
    rtpenginePing: (env.KAMDASH_RTPENGINE_PING ?? "on").trim().toLowerCase() !== "off",
    handshakeIntervalMs: parseWholeNumber(
      env,
      "KAMDASH_HANDSHAKE_INTERVAL_MS",
      intervalMs,
      Math.max(intervalMs, 10_000),
    ),
    handshakeTargets: parseHandshakeTargets(env.KAMDASH_HANDSHAKE),
    canary: readCanaryConfig(env),
    media: {
      maxCalls: parseWholeNumber(env, "KAMDASH_MEDIA_MAX_CALLS", 0, 50),
      oneWayAfterS: parseWholeNumber(env, "KAMDASH_ONE_WAY_AFTER_S", 1, 6),
    },
  };
}

// Kamailio counter names are "group.name": a group name has no dot (and nothing that needs quoting in RPC).
const COUNTER_GROUP = /^[A-Za-z0-9_-]{1,64}$/;

function parseCounterGroup(env: EnvRecord): string {
  const raw = env.KAMDASH_BRANCH_COUNTER_GROUP?.trim() ?? "";
  if (raw === "") return DEFAULT_BRANCH_COUNTER_GROUP;
  if (!COUNTER_GROUP.test(raw)) {
    throw new Error(
      `KAMDASH_BRANCH_COUNTER_GROUP must be a Kamailio counters group name (letters, digits, '_' or '-'), got "${raw}"`,
    );
  }
  return raw;
}

function parseWholeNumber(env: EnvRecord, name: string, min: number, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = wholeNumberFromEnv(name, min).safeParse(raw);
  if (!parsed.success) {
    throw new Error(parsed.error.issues[0]?.message ?? `${name} is invalid`);
  }
  return parsed.data;
}
