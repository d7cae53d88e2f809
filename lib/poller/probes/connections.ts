import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { Probe } from "./types";

// States in which a connection is being torn down; it no longer counts as connected.
const CLOSING_STATES = new Set(["CONN_ERROR", "CONN_BAD", "CONN_EOF"]);

export type ConnectionsResult = {
  ws: number;
  wss: number;
  /** Open TCP-family connections by id (for joining registrations). */
  byId: Map<number, TcpConnection>;
};

/**
 * core.tcp_list: every TCP/TLS/WS/WSS connection, counted by type. A core method every Kamailio with jsonrpcs
 * has: a node without the websocket module counts 0 WS.
 */
export const connectionsProbe: Probe<ConnectionsResult> = {
  name: "connections",
  cadence: "cycle",
  async collect({ rpc }) {
    const connections = await rpc.tcpList();
    const byId: ConnectionsResult["byId"] = new Map();
    let ws = 0;
    let wss = 0;
    for (const connection of connections) {
      if (CLOSING_STATES.has(connection.state)) continue;
      if (connection.type === "WS") ws += 1;
      if (connection.type === "WSS") wss += 1;
      byId.set(connection.id, connection);
    }
    return { ws, wss, byId };
  },
};
