import pino, { type DestinationStream, type Logger } from "pino";
import { z } from "zod";
import { maskEntryCredentials } from "@/lib/nodes/mask-credentials";

// The server's one logger: JSON lines on stdout, {"level":"info","time":"2026-…Z","msg":…, …}. Logs about one
// Kamailio node carry `node` (log.child({ node: name })). Secrets never reach the log: fields named like
// password, secret, token, authorization, cookie or databaseUrl are replaced by "[redacted]" (pino's redact, to
// three levels deep), and the password of any URL in a message, a string field or an error is masked as
// `user:***@` (lib/nodes/mask-credentials.ts). KAMDASH_LOG_LEVEL sets the threshold (default info).
// CLI commands (lib/cli) print plain text for people instead.

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const levelSchema = z
  .string()
  .optional()
  .transform((value) => value?.trim().toLowerCase() || undefined)
  .pipe(
    z.enum(LOG_LEVELS, { message: `KAMDASH_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  );

/** KAMDASH_LOG_LEVEL of `env`; unset → "info". Throws a readable error for an unknown level. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const parsed = levelSchema.safeParse(env.KAMDASH_LOG_LEVEL);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data ?? "info";
}

const SECRET_KEYS = [
  "password",
  "passwordHash",
  "secret",
  "token",
  "authorization",
  "cookie",
  "databaseUrl",
  "DATABASE_URL",
];
const SECRET_HEADERS = ['["set-cookie"]', '["x-csrf-token"]'];
/** Secret fields at the top and up to two levels down (e.g. `err.config.password`, `headers.cookie`). */
const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.flatMap((header) => [`*${header}`, `*.*${header}`]),
];

/** Masks the password of every URL in `text` ("http://user:pw@host" → "http://user:***@host"). */
export function maskUrlCredentials(text: string): string {
  return text.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>,]+/g, (url) => maskEntryCredentials(url));
}

function maskStrings(value: unknown, depth: number): unknown {
  if (typeof value === "string") return maskUrlCredentials(value);
  if (depth <= 0 || value === null || typeof value !== "object" || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, depth - 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, depth - 1)]));
}

function errorSerializer(error: unknown): unknown {
  if (!(error instanceof Error)) return maskStrings(error, 4);
  // pino's serializer returns an object with its own prototype: copy its fields into a plain one to mask them
  return maskStrings({ ...pino.stdSerializers.err(error) }, 4);
}

/** A logger writing to `destination` (default stdout) at `level` (default KAMDASH_LOG_LEVEL). */
export function createLogger(options: { destination?: DestinationStream; level?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevelFromEnv(),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => maskStrings(object, 4) as Record<string, unknown>,
      },
      serializers: { err: errorSerializer, error: errorSerializer },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskUrlCredentials(arg) : arg));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    // process.stdout rather than pino's own fd writer: synchronous for files and pipes on Linux, and one stream
    // object that start-up code and tests share
    options.destination ?? process.stdout,
  );
}

function safeLevel(): string {
  try {
    return logLevelFromEnv();
  } catch {
    return "info";
  }
}

const loggerKey = Symbol.for("kamdash.log");
type GlobalWithLogger = typeof globalThis & { [loggerKey]?: Logger };

/** The process-wide logger (on globalThis: Next may load this module more than once). */
export function getLog(): Logger {
  const g = globalThis as GlobalWithLogger;
  // a bad KAMDASH_LOG_LEVEL must not break importing this module: start-up reports it (instrumentation-node.ts)
  g[loggerKey] ??= createLogger({ level: safeLevel() });
  return g[loggerKey];
}

/** The process-wide logger: `log.info({ ...fields }, "message")`, `log.error({ err }, "what failed")`. */
export const log: Logger = getLog();

/** A child logger for one Kamailio node: every line it writes carries `node`. */
export function nodeLog(node: string): Logger {
  return getLog().child({ node });
}
