import { z } from "zod";
import { parseReply } from "../errors";

export const CORE_UPTIME = "core.uptime";

export const coreUptimeResultSchema = z.object({
  now: z.string(),
  up_since: z.string(),
  uptime: z.number().int().nonnegative(),
});

export interface CoreUptime {
  /** Seconds since Kamailio started. */
  uptimeSeconds: number;
  /** Kamailio's own ctime() strings (server local time), kept as text. */
  now: string;
  upSince: string;
}

export function parseCoreUptime(result: unknown, nodeUrl?: string): CoreUptime {
  const raw = parseReply(coreUptimeResultSchema, result, CORE_UPTIME, nodeUrl);
  return { uptimeSeconds: raw.uptime, now: raw.now, upSince: raw.up_since };
}
