import { z } from "zod";

// How long each store of history is kept (lib/metrics/retention.ts): events and canary runs go with the 1-minute
// rollups, handshake attempts with the raw samples.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS } as const;

export type RetentionConfig = {
  /** Raw samples (sample, branch_sample) older than this are deleted, ms. KAMDASH_RETENTION_RAW, default 2 days. */
  rawMs: number;
  /** 1-minute rollups older than this are deleted, ms. KAMDASH_RETENTION_1M, default 30 days. */
  oneMinuteMs: number;
  /** 1-hour rollups older than this are deleted, ms. KAMDASH_RETENTION_1H, default 400 days. */
  oneHourMs: number;
};

export const DEFAULT_RETENTION: RetentionConfig = {
  rawMs: 2 * DAY_MS,
  oneMinuteMs: 30 * DAY_MS,
  oneHourMs: 400 * DAY_MS,
};

/** The shortest setting accepted, ms: raw samples must outlive the 1-hour rollup of their hour. */
export const MIN_RETENTION_MS = 2 * HOUR_MS;

const durationFromEnv = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^\d+\s*[mhdw]$/, `${name} must be a duration such as 90m, 36h, 2d or 8w`)
    .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])
    .pipe(
      z
        .number()
        .int()
        .min(MIN_RETENTION_MS, `${name} must be at least 2h`)
        .max(100 * 365 * DAY_MS, `${name} must be at most 100 years`),
    );

type EnvRecord = Readonly<Record<string, string | undefined>>;

/** Reads KAMDASH_RETENTION_RAW, KAMDASH_RETENTION_1M, KAMDASH_RETENTION_1H; a bad value throws a readable error. */
export function readRetentionConfig(env: EnvRecord = process.env): RetentionConfig {
  return {
    rawMs: parseDuration(env, "KAMDASH_RETENTION_RAW", DEFAULT_RETENTION.rawMs),
    oneMinuteMs: parseDuration(env, "KAMDASH_RETENTION_1M", DEFAULT_RETENTION.oneMinuteMs),
    oneHourMs: parseDuration(env, "KAMDASH_RETENTION_1H", DEFAULT_RETENTION.oneHourMs),
  };
}

function parseDuration(env: EnvRecord, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = durationFromEnv(name).safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${parsed.error.issues[0]?.message ?? `${name} is invalid`}, got "${raw}"`);
  }
  return parsed.data;
}
