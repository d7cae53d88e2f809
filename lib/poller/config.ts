import { z } from "zod";

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
};

/** Reads KAMDASH_POLLER, KAMDASH_POLL_INTERVAL_MS, KAMDASH_RPC_TIMEOUT_MS, KAMDASH_RPC_MAX_REPLY_BYTES;
 * a bad value throws a readable error. */
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
  };
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
