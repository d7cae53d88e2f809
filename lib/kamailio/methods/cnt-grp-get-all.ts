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
    .transform((value) => Number(value))
    // "9999…" (400 digits) would read as Infinity, 20 digits as a rounded number: not what Kamailio counted
    .refine((value) => Number.isSafeInteger(value), "expected a counter value within ±2^53"),
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
 * other names are ignored. A direction with only one of the two counters is left out (its other half is unknown:
 * never shown as 0).
 */
export function parseBridgeCounters(counters: CounterGroup): BridgeDirection[] {
  type Halves = Omit<BridgeDirection, "relayed" | "failed"> & {
    relayed: number | null;
    failed: number | null;
  };
  const byDirection = new Map<string, Halves>();
  for (const [name, value] of Object.entries(counters)) {
    const match = BRIDGE_COUNTER.exec(name);
    if (!match) continue;
    const from = match[1] as BridgeTransport;
    const to = match[2] as BridgeTransport;
    const direction = `${from}_${to}`;
    const entry = byDirection.get(direction) ?? { direction, from, to, relayed: null, failed: null };
    if (match[3] === "relayed") entry.relayed = value;
    else entry.failed = value;
    byDirection.set(direction, entry);
  }
  return [...byDirection.values()]
    .flatMap(({ relayed, failed, ...rest }) =>
      relayed === null || failed === null ? [] : [{ ...rest, relayed, failed }],
    )
    .sort((a, b) => a.direction.localeCompare(b.direction));
}
