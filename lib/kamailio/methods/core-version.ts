import { z } from "zod";
import { parseReply } from "../errors";

export const CORE_VERSION = "core.version";

/** `core.version` answers one string, e.g. "Server: kamailio (5.6.3 (x86_64/linux))". */
export const coreVersionResultSchema = z.string().min(1);

export interface CoreVersion {
  /** The string exactly as Kamailio sent it. */
  raw: string;
  /** "5.6.3", or null when the string carries no x.y.z version. */
  version: string | null;
  major: number | null;
  minor: number | null;
}

export function parseCoreVersion(result: unknown, nodeUrl?: string): CoreVersion {
  const raw = parseReply(coreVersionResultSchema, result, CORE_VERSION, nodeUrl);
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(raw);
  return {
    raw,
    version: match ? match[0] : null,
    major: match ? Number(match[1]) : null,
    minor: match ? Number(match[2]) : null,
  };
}
