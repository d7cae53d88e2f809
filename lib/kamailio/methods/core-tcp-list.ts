import { z } from "zod";
import { parseReply } from "../errors";

export const CORE_TCP_LIST = "core.tcp_list";

export const tcpConnectionTypeSchema = z.enum(["TCP", "TLS", "WS", "WSS", "UNKNOWN"]);

export const tcpConnectionRawSchema = z.object({
  id: z.number().int(),
  type: tcpConnectionTypeSchema,
  state: z.string(),
  timeout: z.number().int(),
  lifetime: z.number().int(),
  ref_count: z.number().int(),
  src_ip: z.string(),
  src_port: z.number().int(),
  dst_ip: z.string(),
  dst_port: z.number().int(),
});

export interface TcpConnection {
  /** Same id as ws.dump entries and ul.dump `Tcpconn-Id`. */
  id: number;
  type: z.infer<typeof tcpConnectionTypeSchema>;
  /** CONN_OK, CONN_INIT, CONN_EOF, … as Kamailio names it. */
  state: string;
  /** Seconds until Kamailio closes the idle connection. */
  timeoutSeconds: number;
  lifetimeSeconds: number;
  refCount: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

const toConnection = (raw: z.infer<typeof tcpConnectionRawSchema>): TcpConnection => ({
  id: raw.id,
  type: raw.type,
  state: raw.state,
  timeoutSeconds: raw.timeout,
  lifetimeSeconds: raw.lifetime,
  refCount: raw.ref_count,
  srcIp: raw.src_ip,
  srcPort: raw.src_port,
  dstIp: raw.dst_ip,
  dstPort: raw.dst_port,
});

/** Every TCP-family connection (TCP, TLS, WS, WSS): an array, empty when there are none. */
export const coreTcpListSchema = z.array(tcpConnectionRawSchema.transform(toConnection));

export function parseCoreTcpList(result: unknown, nodeUrl?: string): TcpConnection[] {
  return parseReply(coreTcpListSchema, result, CORE_TCP_LIST, nodeUrl);
}

export function countByType(connections: readonly TcpConnection[]): Record<TcpConnection["type"], number> {
  const counts = { TCP: 0, TLS: 0, WS: 0, WSS: 0, UNKNOWN: 0 };
  for (const connection of connections) counts[connection.type] += 1;
  return counts;
}
