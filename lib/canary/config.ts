import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { defaultLabJsonPath } from "@/lib/nodes/seed";

// Where and how each node's canary calls. Off unless KAMDASH_CANARY=on. The lab node's two probe users, WSS URL,
// Origin and SIP domain come from .lab/lab.json; other nodes are listed in KAMDASH_CANARY_TARGETS and their
// passwords are read from their own environment variables only (never from the list, never shown anywhere).

const credentialsSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

export const CanaryTargetSchema = z.object({
  /** ws:// or wss:// URL of the gateway's SIP-over-WebSocket listener. */
  url: z.string().regex(/^wss?:\/\/[^\s|]+$/, "a ws:// or wss:// URL"),
  /** The Origin header a page of an allowed site sends. */
  origin: z.string().url(),
  /** false accepts a self-signed certificate (the node's setting says so). */
  verifyTls: z.boolean(),
  /** SIP domain of the probe users' AORs (sip:<user>@<domain>). */
  sipDomain: z.string().min(1),
  caller: credentialsSchema,
  /** A second probe user the canary registers, or an operator-set URI it calls as it is (e.g. an echo). */
  callee: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("user"), ...credentialsSchema.shape }),
    z.object({ kind: z.literal("uri"), uri: z.string().regex(/^sips?:[^\s|]+$/, "a sip: or sips: URI") }),
  ]),
  /** The whole run (connect, REGISTERs, INVITE, BYE, unregister), ms. */
  timeoutMs: z.number().int().positive(),
});
export type CanaryTarget = z.infer<typeof CanaryTargetSchema>;

export type CanaryConfig = {
  /** KAMDASH_CANARY=on; default off. */
  enabled: boolean;
  /** KAMDASH_CANARY_INTERVAL_MS, default 300000 (5 min), at least 10000. */
  intervalMs: number;
  /** KAMDASH_CANARY_TIMEOUT_MS, default 15000, at least 1000. */
  timeoutMs: number;
  /** Per node name (KAMDASH_CANARY_TARGETS); the lab node's comes from lab.json (labCanaryTarget). */
  targets: Map<string, CanaryTarget>;
};

export const DEFAULT_CANARY_INTERVAL_MS = 300_000;
export const DEFAULT_CANARY_TIMEOUT_MS = 15_000;

type EnvRecord = Readonly<Record<string, string | undefined>>;

/** The variable holding a password: KAMDASH_CANARY_PASSWORD_<NODE>_<USER>, upper case, other characters "_". */
export function canaryPasswordVariable(node: string, username: string): string {
  const part = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return `KAMDASH_CANARY_PASSWORD_${part(node)}_${part(username)}`;
}

const entrySchema = z.object({
  name: z.string().min(1),
  url: CanaryTargetSchema.shape.url,
  origin: z.string().url(),
  caller: z.string().regex(/^[^\s@|:]+(@[^\s@|]+)?$/, "caller as user or user@domain"),
  callee: z.string().regex(/^(sips?:[^\s|]+|[^\s@|:]+)$/, "callee as a probe user name or a sip: URI"),
  insecure: z.boolean(),
});

/**
 * KAMDASH_CANARY_TARGETS="edge1=wss://gw1.example.org:443|https://phone.example.org|probe1[@domain]|probe2[|insecure],
 * edge2=…|probe1|sip:echo@10.0.0.9:5060". Per node: WS/WSS URL, Origin, caller user (domain: the URL's host unless
 * given), callee as a second probe user (registered by the canary) or a sip: URI (called as it is), and
 * `insecure` to accept a self-signed certificate. Each probe user's password comes from
 * canaryPasswordVariable(node, user). Throws a readable error naming the entry (never a password).
 */
export function parseCanaryTargets(env: EnvRecord, timeoutMs: number): Map<string, CanaryTarget> {
  const targets = new Map<string, CanaryTarget>();
  const raw = env.KAMDASH_CANARY_TARGETS ?? "";
  for (const item of raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf("=");
    const [url, origin, caller, callee, flag, ...extra] = item.slice(eq + 1).split("|");
    const parsed = entrySchema.safeParse({
      name: item.slice(0, eq),
      url,
      origin,
      caller,
      callee,
      insecure: flag === "insecure",
    });
    const bad = (why: string | undefined) =>
      new Error(
        `KAMDASH_CANARY_TARGETS entry "${item}" must be name=ws(s)://host:port|origin|caller|callee[|insecure]: ${why}`,
      );
    if (eq < 1 || !parsed.success)
      throw bad(parsed.success ? "missing name" : parsed.error.issues[0]?.message);
    if ((flag !== undefined && flag !== "insecure") || extra.length > 0)
      throw bad("the fifth field may only be 'insecure'");
    const { name } = parsed.data;
    const [callerUser, callerDomain] = parsed.data.caller.split("@") as [string, string | undefined];
    const password = (user: string) => {
      const variable = canaryPasswordVariable(name, user);
      const value = env[variable];
      if (!value)
        throw new Error(
          `canary for node ${name}: ${variable} is not set (the password of probe user ${user})`,
        );
      return value;
    };
    const calleeRaw = parsed.data.callee;
    targets.set(
      name,
      CanaryTargetSchema.parse({
        url: parsed.data.url,
        origin: parsed.data.origin,
        verifyTls: !parsed.data.insecure,
        sipDomain: callerDomain ?? new URL(parsed.data.url).hostname,
        caller: { username: callerUser, password: password(callerUser) },
        callee: /^sips?:/.test(calleeRaw)
          ? { kind: "uri", uri: calleeRaw }
          : { kind: "user", username: calleeRaw, password: password(calleeRaw) },
        timeoutMs,
      }),
    );
  }
  return targets;
}

function wholeNumber(env: EnvRecord, name: string, min: number, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new Error(`${name} must be a whole number of at least ${min}`);
  return Number(raw);
}

/** Reads KAMDASH_CANARY, KAMDASH_CANARY_INTERVAL_MS, KAMDASH_CANARY_TIMEOUT_MS, KAMDASH_CANARY_TARGETS. Throws a
 * readable error on a bad value; targets are only parsed (and their passwords required) when the canary is on. */
export function readCanaryConfig(env: EnvRecord = process.env): CanaryConfig {
  const switchValue = (env.KAMDASH_CANARY ?? "off").trim().toLowerCase();
  if (!["on", "off", ""].includes(switchValue))
    throw new Error(`KAMDASH_CANARY must be on or off, got "${switchValue}"`);
  const enabled = switchValue === "on";
  const intervalMs = wholeNumber(env, "KAMDASH_CANARY_INTERVAL_MS", 10_000, DEFAULT_CANARY_INTERVAL_MS);
  const timeoutMs = wholeNumber(env, "KAMDASH_CANARY_TIMEOUT_MS", 1000, DEFAULT_CANARY_TIMEOUT_MS);
  if (timeoutMs >= intervalMs)
    throw new Error("KAMDASH_CANARY_TIMEOUT_MS must be shorter than KAMDASH_CANARY_INTERVAL_MS");
  return {
    enabled,
    intervalMs,
    timeoutMs,
    targets: enabled ? parseCanaryTargets(env, timeoutMs) : new Map(),
  };
}

const labSchema = z.object({
  domain: z.string().min(1),
  sip: z.object({ wss: z.string() }),
  origins: z.array(z.string()).min(1),
  canary: z.object({ users: z.tuple([credentialsSchema, credentialsSchema]) }).optional(),
});

/** The lab node's canary: lab.json's two probe users over its WSS listener (self-signed). null without them. */
export function labCanaryTarget(
  timeoutMs: number = DEFAULT_CANARY_TIMEOUT_MS,
  labJsonPath: string = defaultLabJsonPath(),
): CanaryTarget | null {
  if (!existsSync(labJsonPath)) return null;
  const parsed = labSchema.safeParse(JSON.parse(readFileSync(labJsonPath, "utf8")));
  if (!parsed.success || !parsed.data.canary) return null;
  const [caller, callee] = parsed.data.canary.users;
  return {
    url: parsed.data.sip.wss,
    origin: parsed.data.origins[0] as string,
    verifyTls: false,
    sipDomain: parsed.data.domain,
    caller,
    callee: { kind: "user", ...callee },
    timeoutMs,
  };
}
