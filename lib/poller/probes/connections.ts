import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { WsConnection } from "@/lib/kamailio/methods/ws-dump";
import type { Probe } from "./types";

// States in which a connection is being torn down; it no longer counts as connected.
const CLOSING_STATES = new Set(["CONN_ERROR", "CONN_BAD", "CONN_EOF"]);

export type ConnectionsResult = {
  ws: number;
  wss: number;
  /** Open TCP-family connections by id (for joining registrations), ws.dump details where listed. */
  byId: Map<number, TcpConnection & { websocket: WsConnection | null }>;
  /** ws.dump lists at most 50 connections: the details cover only those. */
  wsDumpTruncated: boolean;
  wsAwaitingPong: number;
};

/** core.tcp_list for the counts (every connection), ws.dump for WebSocket state details. */
export const connectionsProbe: Probe<ConnectionsResult> = {
  name: "connections",
  async collect({ rpc }) {
    const [connections, wsDump] = await Promise.all([rpc.tcpList(), rpc.wsDump()]);
    const websockets = new Map(wsDump.connections.map((c) => [c.id, c]));
    const byId: ConnectionsResult["byId"] = new Map();
    let ws = 0;
    let wss = 0;
    for (const connection of connections) {
      if (CLOSING_STATES.has(connection.state)) continue;
      if (connection.type === "WS") ws += 1;
      if (connection.type === "WSS") wss += 1;
      byId.set(connection.id, { ...connection, websocket: websockets.get(connection.id) ?? null });
    }
    return {
      ws,
      wss,
      byId,
      wsDumpTruncated: wsDump.truncated,
      wsAwaitingPong: wsDump.connections.filter((c) => c.awaitingPong).length,
    };
  },
};
