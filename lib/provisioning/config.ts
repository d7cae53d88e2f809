import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type ProvisioningStatus, SUBSCRIBER_HASHES, type SubscriberHash } from "./types";

// Where the subscriber table lives and how rows are written, from the environment, with the lab's settings
// (.lab/lab.json `db`, `domain`) as the default when the variables are unset:
//   KAMAILIO_DB_URL                    postgres://… of the Kamailio database (may differ from kamdash's own)
//   KAMDASH_SIP_DOMAINS                served domains, comma separated (users may only be added in these)
//   KAMDASH_SIP_REALMS                 "domain=realm,…" for proxies that challenge with another realm
//   KAMDASH_SUBSCRIBER_HASH            md5 (default) | sha256 (Kamailio 6.1+, kamctl CMDHASH)
//   KAMDASH_SUBSCRIBER_STORE_PASSWORD  1 = also store the clear-text password column (default: '')
//   KAMDASH_SUBSCRIBER_MIN_PASSWORD    minimum password length in characters (default 8)

export type ProvisioningConfig = {
  dbUrl: string;
  dbSource: "env" | "lab";
  /** Lower-case served domains, in configured order. */
  domains: string[];
  domainsSource: "env" | "lab" | "none";
  /** Lower-case domain → digest realm; a domain not listed uses itself (as kamctl and kamcli do). */
  realms: ReadonlyMap<string, string>;
  hash: SubscriberHash;
  storeClearPassword: boolean;
  minPasswordLength: number;
};

const labSchema = z.object({ db: z.string().optional(), domain: z.string().optional() });

function readLab(file: string): z.infer<typeof labSchema> {
  try {
    return labSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return {};
  }
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== "");
}

function realmsOf(value: string | undefined): Map<string, string> {
  const realms = new Map<string, string>();
  for (const entry of (value ?? "").split(",")) {
    const [domain, realm] = entry.split("=").map((part) => part.trim());
    if (!domain || !realm) continue;
    realms.set(domain.toLowerCase(), realm);
  }
  return realms;
}

/** Thrown for a setting that is present but wrong (a typo must not silently fall back to a default). */
export class ProvisioningConfigError extends Error {
  override name = "ProvisioningConfigError";
}

/** The settings, or null with the reason when no Kamailio database is configured. */
export function readProvisioningConfig(
  env: NodeJS.ProcessEnv = process.env,
  labFile = path.resolve(".lab/lab.json"),
): { config: ProvisioningConfig } | { config: null; reason: string } {
  const lab = readLab(labFile);
  const envUrl = env.KAMAILIO_DB_URL?.trim();
  const dbUrl = envUrl || lab.db;
  if (!dbUrl) return { config: null, reason: "not configured: set KAMAILIO_DB_URL" };
  const hash = (env.KAMDASH_SUBSCRIBER_HASH?.trim().toLowerCase() || "md5") as SubscriberHash;
  if (!SUBSCRIBER_HASHES.includes(hash))
    throw new ProvisioningConfigError("KAMDASH_SUBSCRIBER_HASH must be md5 or sha256");
  const minText = env.KAMDASH_SUBSCRIBER_MIN_PASSWORD?.trim();
  const minPasswordLength = minText ? Number(minText) : 8;
  if (!Number.isInteger(minPasswordLength) || minPasswordLength < 1 || minPasswordLength > 64)
    throw new ProvisioningConfigError("KAMDASH_SUBSCRIBER_MIN_PASSWORD must be a whole number from 1 to 64");
  const envDomains = list(env.KAMDASH_SIP_DOMAINS);
  const labDomains = list(lab.domain);
  const domainsSource = envDomains.length > 0 ? "env" : labDomains.length > 0 ? "lab" : "none";
  return {
    config: {
      dbUrl,
      dbSource: envUrl ? "env" : "lab",
      domains: envDomains.length > 0 ? envDomains : labDomains,
      domainsSource,
      realms: realmsOf(env.KAMDASH_SIP_REALMS),
      hash,
      storeClearPassword: env.KAMDASH_SUBSCRIBER_STORE_PASSWORD?.trim() === "1",
      minPasswordLength,
    },
  };
}

/** The realm a domain's users are challenged with. */
export function realmFor(config: Pick<ProvisioningConfig, "realms">, domain: string): string {
  return config.realms.get(domain.toLowerCase()) ?? domain;
}

/** The URL without its password, for display. */
export function displayDbUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** What the provisioning pages show about the setup (never throws: a bad setting is shown as the reason). */
export function provisioningStatus(env: NodeJS.ProcessEnv = process.env): ProvisioningStatus {
  try {
    const read = readProvisioningConfig(env);
    if (!read.config) return { configured: false, reason: read.reason };
    const c = read.config;
    return {
      configured: true,
      dbSource: c.dbSource,
      dbDisplay: displayDbUrl(c.dbUrl),
      domains: c.domains,
      domainsSource: c.domainsSource,
      hash: c.hash,
      minPasswordLength: c.minPasswordLength,
      storesClearPassword: c.storeClearPassword,
    };
  } catch (error) {
    return { configured: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
