import { z } from "zod";
import { parseReply } from "../errors";

export const WS_DUMP = "ws.dump";

/** Kamailio lists at most this many connections per ws.dump reply (MAX_WS_CONNS_DUMP). */
export const WS_DUMP_MAX_ENTRIES = 50;

export const wsDumpOrderSchema = z.enum(["id_hash", "used_desc", "used_asc"]);
export type WsDumpOrder = z.infer<typeof wsDumpOrderSchema>;

export const wsDumpResultSchema = z.object({
  connections: z.array(z.string()).optional(),
  info: z.object({
    wscounter: z.number().int().nonnegative(),
    /** "yes" / "no" in 5.6. */
    truncated: z.enum(["yes", "no"]),
  }),
});

export const wsStateSchema = z.enum(["CONNECTING", "OPEN", "CLOSING", "CLOSED"]);

export interface WsConnection {
  /** The TCP connection id: the same number as core.tcp_list `id` and ul.dump `Tcpconn-Id`. */
  id: number;
  proto: "ws" | "wss";
  /** IPv6 addresses come without brackets, as Kamailio prints them; "*" when unknown. */
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  state: z.infer<typeof wsStateSchema>;
  awaitingPong: boolean;
  lastUsedSeconds: number;
  subProtocol: string;
}

export interface WsDump {
  connections: WsConnection[];
  /** Entries listed in this reply (Kamailio's `wscounter`), not the total number of connections. */
  listed: number;
  /** True when Kamailio stopped at its 50-entry limit: use core.tcp_list for totals. */
  truncated: boolean;
}

// "<id>: <proto>:<ip>:<port> -> <proto>:<ip>:<port> (state: OPEN, [awaiting Pong, ] last used Ns ago, sub-protocol: sip)"
// The ip part is greedy-then-backtracking so IPv6 addresses (which contain ':') parse too.
const LINE =
  /^(\d+): (wss?):(.+):(\d+) -> (wss?):(.+):(\d+) \(state: ([A-Z]+),\s*(awaiting Pong,\s*)?last used (-?\d+)s ago, sub-protocol: ([^)]*)\)$/;

/** Parses one ws.dump text line; returns a message naming what is wrong instead of throwing. */
export function parseWsDumpLine(line: string): WsConnection | string {
  const m = LINE.exec(line);
  if (!m) return "line does not match the ws.dump format";
  const [, id, proto, srcIp, srcPort, dstProto, dstIp, dstPort, state, pong, lastUsed, subProtocol] = m;
  const parsedState = wsStateSchema.safeParse(state);
  if (!parsedState.success) return `unknown state ${JSON.stringify(state)}`;
  if (proto !== dstProto) return "source and destination protocols differ";
  return {
    id: Number(id),
    proto: proto === "wss" ? "wss" : "ws",
    srcIp: srcIp ?? "",
    srcPort: Number(srcPort),
    dstIp: dstIp ?? "",
    dstPort: Number(dstPort),
    state: parsedState.data,
    awaitingPong: pong !== undefined,
    lastUsedSeconds: Number(lastUsed),
    subProtocol: subProtocol ?? "",
  };
}

const wsDumpSchema = wsDumpResultSchema.transform((raw, ctx): WsDump => {
  const lines = raw.connections ?? [];
  const connections: WsConnection[] = [];
  lines.forEach((line, index) => {
    const parsed = parseWsDumpLine(line);
    if (typeof parsed === "string") {
      ctx.addIssue({
        code: "custom",
        path: ["connections", index],
        message: `${parsed}: ${JSON.stringify(line)}`,
      });
    } else {
      connections.push(parsed);
    }
  });
  return {
    connections,
    listed: raw.info.wscounter,
    truncated: raw.info.truncated === "yes",
  };
});

export function parseWsDump(result: unknown, nodeUrl?: string): WsDump {
  return parseReply(wsDumpSchema, result, WS_DUMP, nodeUrl);
}
