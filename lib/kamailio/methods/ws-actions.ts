import { z } from "zod";
import { parseReply } from "../errors";

// websocket module actions on one connection, by the id core.tcp_list / ws.dump / ul.dump (Tcpconn-Id) give it.
// Kamailio 5.6 answers {} on success and {code: 500, message: "Unknown connection ID"} for an id it does not hold
// (captured from the lab).

export const WS_CLOSE = "ws.close";
export const WS_PING = "ws.ping";

/** A connection id as Kamailio numbers them: a positive integer. */
export const connectionIdSchema = z.coerce
  .number({ error: "connection id must be a number" })
  .int("connection id must be a whole number")
  .positive("connection id must be positive");

const emptyResultSchema = z.union([z.object({}).strict(), z.null(), z.undefined()]);

/** ws.close <id>: sends a WebSocket close frame (1000) and closes the TCP connection. Throws KamailioRpcError. */
export function parseWsClose(result: unknown, nodeUrl?: string): void {
  parseReply(emptyResultSchema, result, WS_CLOSE, nodeUrl);
}

/** ws.ping <id>: sends a WebSocket ping frame; the pong is not reported back over RPC. Throws KamailioRpcError. */
export function parseWsPing(result: unknown, nodeUrl?: string): void {
  parseReply(emptyResultSchema, result, WS_PING, nodeUrl);
}
