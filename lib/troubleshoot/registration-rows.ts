import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { RegisteredContact } from "@/lib/poller/probes/contacts";

// The registrations page's rows: one per live contact of one node (ul.dump), with whether the connection it is
// bound to still exists (core.tcp_list): the seed's "WebSocket connections matching registrations", per contact.

export type RegistrationRow = {
  node: string;
  /** As usrloc keys it: "1001" or "1001@example.org" (use_domain). */
  aor: string;
  domain: string;
  contact: string;
  /** From the contact's transport parameter or the local socket: udp, tcp, tls, ws, wss. */
  transport: string | null;
  /** Where the REGISTER came from (NAT / WebSocket), else null. */
  received: string | null;
  /** Seconds until expiry; null for a permanent contact. */
  expiresS: number | null;
  userAgent: string | null;
  /** Tcpconn-Id; null for a contact not bound to a connection (UDP). */
  connectionId: number | null;
  /** Bound to a connection that core.tcp_list no longer lists (the user cannot be reached); null when core.tcp_list
   * was not read. */
  connectionGone: boolean | null;
  callId: string;
};

function contactTransport(contact: RegisteredContact): string | null {
  const param = /;transport=([a-z]+)/i.exec(contact.address)?.[1]?.toLowerCase();
  const socketProto = contact.socket?.split(":")[0]?.toLowerCase() ?? null;
  if (param === "ws" || param === "wss") return socketProto === "tls" ? "wss" : "ws";
  return param ?? socketProto;
}

/** Rows for one node; `connections` are the open ones (closing states left out), null when not read. */
export function registrationRows(
  node: string,
  contacts: readonly RegisteredContact[],
  connections: readonly Pick<TcpConnection, "id">[] | null,
): RegistrationRow[] {
  const open = connections ? new Set(connections.map((c) => c.id)) : null;
  return contacts.map((k) => ({
    node,
    aor: k.aor,
    domain: k.domain,
    contact: k.address,
    transport: contactTransport(k),
    received: k.received,
    expiresS: k.expires,
    userAgent: k.userAgent,
    connectionId: k.tcpconnId >= 0 ? k.tcpconnId : null,
    connectionGone: k.tcpconnId < 0 ? false : open ? !open.has(k.tcpconnId) : null,
    callId: k.callId,
  }));
}
