import { z } from "zod";
import { parseReply } from "../errors";

export const CNT_GRP_GET_ALL = "cnt.grp_get_all";

/**
 * Counter values; accepted as numbers or decimal strings. Kamailio prints cnt.* counters through an int cast, so a
 * counter past 2^31 arrives negative: it is accepted here and unwrapped (or rejected) by lib/poller/plausible.ts.
 */
const counterValueSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, "expected a decimal counter value")
    .transform((value) => Number(value)),
]);

export const cntGrpGetAllResultSchema = z.record(z.string(), counterValueSchema);

export type CounterGroup = Readonly<Record<string, number>>;

export function parseCntGrpGetAll(result: unknown, nodeUrl?: string): CounterGroup {
  return parseReply(cntGrpGetAllResultSchema, result, CNT_GRP_GET_ALL, nodeUrl);
}

export const BRIDGE_TRANSPORTS = ["udp", "tcp", "tls", "ws", "wss"] as const;
export type BridgeTransport = (typeof BRIDGE_TRANSPORTS)[number];

export interface BridgeDirection {
  /** "<from>_<to>", e.g. "wss_udp". */
  direction: string;
  from: BridgeTransport;
  to: BridgeTransport;
  relayed: number;
  failed: number;
}

const BRIDGE_COUNTER = /^(udp|tcp|tls|ws|wss)_(udp|tcp|tls|ws|wss)_(relayed|failed)$/;

/**
 * The `bridge` group as per-direction totals. Counter names follow `<from>_<to>_relayed|failed`;
 * other names are ignored, and a direction with only one of the two counters gets 0 for the other.
 */
export function parseBridgeCounters(counters: CounterGroup): BridgeDirection[] {
  const byDirection = new Map<string, BridgeDirection>();
  for (const [name, value] of Object.entries(counters)) {
    const match = BRIDGE_COUNTER.exec(name);
    if (!match) continue;
    const from = match[1] as BridgeTransport;
    const to = match[2] as BridgeTransport;
    const direction = `${from}_${to}`;
    const entry = byDirection.get(direction) ?? { direction, from, to, relayed: 0, failed: 0 };
    if (match[3] === "relayed") entry.relayed = value;
    else entry.failed = value;
    byDirection.set(direction, entry);
  }
  return [...byDirection.values()].sort((a, b) => a.direction.localeCompare(b.direction));
}
