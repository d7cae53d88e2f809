import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { defaultLabJsonPath } from "@/lib/nodes/seed";
import type { HandshakeTarget } from "./ws-handshake";

// Where each node's handshake probe connects: KAMDASH_HANDSHAKE lists them per node; the lab node gets the lab's
// WSS listener, first allowed Origin and SIP domain from .lab/lab.json.

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
