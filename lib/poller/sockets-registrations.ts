import { z } from "zod";
import type { ConnectionsResult } from "./probes/connections";
import type { ContactsResult } from "./probes/contacts";

// The seed's fourth health rule: WebSocket connections matching registrations. A WS/WSS connection that carries no
// registered contact is a browser that connected and never registered (or whose registration expired), and a
// contact whose connection is gone cannot be reached. Joined by connection id: core.tcp_list `id` = ul.dump
// `Tcpconn-Id`.

export const SocketsVsRegistrationsSchema = z.object({
  /** ISO time of the ul.dump it was joined from (the contacts probe runs on the heavy-list cadence). */
  measuredAt: z.string(),
  /** Open WS + WSS connections (core.tcp_list, closing ones left out). */
  connections: z.number().int().nonnegative(),
  /** Of them, those carrying at least one registered contact. */
  withRegistration: z.number().int().nonnegative(),
  withoutRegistration: z.number().int().nonnegative(),
  /** withoutRegistration ÷ connections (0..1); null with no connection. */
  shareWithout: z.number().min(0).max(1).nullable(),
  /** Contacts bound to a connection that core.tcp_list no longer lists. */
  registrationsWithoutConnection: z.number().int().nonnegative(),
});
export type SocketsVsRegistrations = z.infer<typeof SocketsVsRegistrationsSchema>;

/** Contacts joined to the connections they are bound to: per transport, gone, and the connections carrying any. */
export function joinContactsToConnections(connections: ConnectionsResult, contacts: ContactsResult) {
  const carried = new Set<number>();
  let ws = 0;
  let wss = 0;
  let withoutConnection = 0;
  for (const contact of contacts.contacts) {
    if (contact.tcpconnId < 0) continue;
    const connection = connections.byId.get(contact.tcpconnId);
    if (!connection) withoutConnection += 1;
    else if (connection.type === "WS" || connection.type === "WSS") {
      carried.add(connection.id);
      if (connection.type === "WS") ws += 1;
      else wss += 1;
    }
  }
  return { ws, wss, withoutConnection, carriedConnections: carried.size };
}

/** Joins one cycle's connections with a ul.dump taken in the same cycle. */
export function socketsVsRegistrations(
  connections: ConnectionsResult,
  contacts: ContactsResult,
  measuredAt: string,
): SocketsVsRegistrations {
  const join = joinContactsToConnections(connections, contacts);
  const total = connections.ws + connections.wss;
  const withRegistration = Math.min(join.carriedConnections, total);
  const withoutRegistration = total - withRegistration;
  return {
    measuredAt,
    connections: total,
    withRegistration,
    withoutRegistration,
    shareWithout: total === 0 ? null : withoutRegistration / total,
    registrationsWithoutConnection: join.withoutConnection,
  };
}
