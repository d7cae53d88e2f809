import { z } from "zod";
import { parseReply } from "../errors";

// rtpengine.enable <url> <0|1>: takes a media server out of (or back into) Kamailio's selection. Kamailio reads any
// non-numeric second param as 0, so "x" DISABLES the instance (seen on the lab): params are built only from a
// boolean. An unknown url answers {code: 404, message: "Instance not found"}.

export const RTPENGINE_ENABLE = "rtpengine.enable";

const resultSchema = z.object({ url: z.string(), status: z.enum(["enable", "disable"]) });

export interface RtpengineEnableResult {
  /** The instance as Kamailio lists it, e.g. "udp:127.0.0.1:22222". */
  url: string;
  /** What Kamailio says the instance now is. */
  enabled: boolean;
}

/** Positional params: the url exactly as rtpengine.show lists it, and 1 or 0. */
export function rtpengineEnableParams(url: string, enabled: boolean): [string, number] {
  return [url, enabled ? 1 : 0];
}

/** Throws KamailioRpcError when the reply is not {url, status: "enable"|"disable"}. */
export function parseRtpengineEnable(result: unknown, nodeUrl?: string): RtpengineEnableResult {
  const raw = parseReply(resultSchema, result, RTPENGINE_ENABLE, nodeUrl);
  return { url: raw.url, enabled: raw.status === "enable" };
}
