import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import type { HandshakeSettings } from "@/lib/nodes/probe-settings";
import { defaultLabJsonPath, LAB_NODE_NAME } from "@/lib/nodes/seed";
import type { HandshakeTarget } from "./ws-handshake";

// Where each node's handshake probe connects, first match wins: the node's own setting (admin nodes page / API,
// KamailioNode.handshake*), KAMDASH_HANDSHAKE's entry for the node, then for node "lab" the lab's WSS listener,
// first allowed Origin and SIP domain from .lab/lab.json.

const entrySchema = z.object({
  name: z.string().min(1),
  url: z.string().regex(/^wss?:\/\/[^\s|]+$/, "a ws:// or wss:// URL"),
  origin: z.string().url(),
  insecure: z.boolean(),
});

/**
 * KAMDASH_HANDSHAKE="edge1=wss://gw1.example.org:443|https://phone.example.org[|insecure],edge2=…": per node the
 * WS/WSS URL, the Origin to send, and `insecure` to accept a self-signed certificate. The SIP domain for the
 * OPTIONS is the URL's host. Throws a readable error naming the bad entry.
 */
export function parseHandshakeTargets(raw: string | undefined): Map<string, HandshakeTarget> {
  const targets = new Map<string, HandshakeTarget>();
  for (const item of (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, rest] = [item.slice(0, item.indexOf("=")), item.slice(item.indexOf("=") + 1)];
    const [url, origin, flag] = rest.split("|");
    const parsed = entrySchema.safeParse({ name, url, origin, insecure: flag === "insecure" });
    if (item.indexOf("=") < 1 || !parsed.success || (flag !== undefined && flag !== "insecure")) {
      const why = parsed.success ? "the third field may only be 'insecure'" : parsed.error.issues[0]?.message;
      throw new Error(
        `KAMDASH_HANDSHAKE entry "${item}" must be name=ws(s)://host:port|origin[|insecure]: ${why}`,
      );
    }
    const { hostname } = new URL(parsed.data.url);
    targets.set(parsed.data.name, {
      url: parsed.data.url,
      origin: parsed.data.origin,
      sipDomain: hostname,
      verifyTls: !parsed.data.insecure,
    });
  }
  return targets;
}

const labSchema = z.object({
  domain: z.string(),
  sip: z.object({ wss: z.string() }),
  origins: z.array(z.string()).min(1),
});

/** The lab's WSS listener with its first allowed Origin; its certificate is self-signed. null without a lab. */
export function labHandshakeTarget(labJsonPath: string = defaultLabJsonPath()): HandshakeTarget | null {
  if (!existsSync(labJsonPath)) return null;
  const parsed = labSchema.safeParse(JSON.parse(readFileSync(labJsonPath, "utf8")));
  if (!parsed.success) return null;
  const [origin] = parsed.data.origins;
  if (!origin) return null;
  return { url: parsed.data.sip.wss, origin, sipDomain: parsed.data.domain, verifyTls: false };
}

export type ResolvedHandshake = {
  /** Where the probe connects; undefined when nothing is set (the probe reads unavailable). */
  target: HandshakeTarget | undefined;
  /** Cadence of the probe, ms: the node's interval, else the global KAMDASH_HANDSHAKE_INTERVAL_MS. */
  intervalMs: number;
  /** Which setting gave the target. */
  source: "node" | "env" | "lab" | null;
};

/**
 * A node's handshake target and cadence. `node` is its stored setting (null for none): a node URL (with its Origin
 * and verify-TLS) wins over `env` (KAMDASH_HANDSHAKE), which wins over `lab` for the node named "lab". The node's
 * interval (s) applies whichever target is used. The SIP domain of a node or env URL is its host.
 */
export function resolveHandshake(
  nodeName: string,
  node: HandshakeSettings | null,
  env: ReadonlyMap<string, HandshakeTarget>,
  lab: HandshakeTarget | null,
  defaultIntervalMs: number,
): ResolvedHandshake {
  const intervalMs = node?.intervalS != null ? node.intervalS * 1000 : defaultIntervalMs;
  if (node?.url && node.origin) {
    const target = {
      url: node.url,
      origin: node.origin,
      sipDomain: new URL(node.url).hostname,
      verifyTls: node.verifyTls,
    };
    return { target, intervalMs, source: "node" };
  }
  const fromEnv = env.get(nodeName);
  if (fromEnv) return { target: fromEnv, intervalMs, source: "env" };
  if (nodeName === LAB_NODE_NAME && lab) return { target: lab, intervalMs, source: "lab" };
  return { target: undefined, intervalMs, source: null };
}

/**
 * What a node's handshake probe falls back to without its own setting, in words for the admin page:
 * "KAMDASH_HANDSHAKE (wss://…)", "lab default (wss://…)", "none (probe unavailable)", or the env error.
 */
export function defaultHandshakeLabel(
  nodeName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  let targets: Map<string, HandshakeTarget>;
  try {
    targets = parseHandshakeTargets(env.KAMDASH_HANDSHAKE);
  } catch (error) {
    return `KAMDASH_HANDSHAKE is invalid: ${(error as Error).message}`;
  }
  const fromEnv = targets.get(nodeName);
  if (fromEnv) return `KAMDASH_HANDSHAKE (${fromEnv.url})`;
  const lab = nodeName === LAB_NODE_NAME ? labHandshakeTarget() : null;
  return lab ? `lab default (${lab.url})` : "none (probe unavailable)";
}
