import type { WsConnection } from "@/lib/kamailio/methods/ws-dump";
import type { Probe } from "./types";

export type WebsocketsResult = {
  /** ws.dump lists at most 50 connections: the details cover only those. */
  truncated: boolean;
  awaitingPong: number;
  /** The connections ws.dump listed (at most 50), for the connections page's "last used" and "awaiting pong". */
  connections: WsConnection[];
};

/** ws.dump (websocket module): WebSocket state details; the counts come from core.tcp_list. */
export const websocketsProbe: Probe<WebsocketsResult> = {
  name: "websockets",
  cadence: "cycle",
  async collect({ rpc }) {
    const dump = await rpc.wsDump();
    return {
      truncated: dump.truncated,
      awaitingPong: dump.connections.filter((c) => c.awaitingPong).length,
      connections: dump.connections,
    };
  },
};
