import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { WsConnection } from "@/lib/kamailio/methods/ws-dump";
import type { RegisteredContact } from "@/lib/poller/probes/contacts";

// The connections page's rows: every TCP-family connection of one node (core.tcp_list), with the AORs and
// User-Agents registered through it (ul.dump, joined by connection id) and what ws.dump adds for the WebSocket
// connections it listed (it lists at most 50: for the others those fields are null, "not listed", never a guess).

export type ConnectionRow = {
  node: string;
  /** core.tcp_list id = ul.dump Tcpconn-Id = ws.dump id. */
  id: number;
  transport: TcpConnection["type"];
  /** The far end (a browser, a phone, a proxy). */
  sourceIp: string;
  sourcePort: number;
  /** Kamailio's state name: CONN_OK, CONN_INIT, CONN_EOF… */
  state: string;
  /** Seconds until Kamailio closes the connection if idle (core.tcp_list `timeout`). */
  idleTimeoutS: number;
  /** AORs with a live contact bound to this connection, sorted. */
  aors: string[];
  /** User-Agent of the first such contact (attacker-controlled text: render as text only). */
  userAgent: string | null;
  /** Seconds since the last frame (ws.dump); null when ws.dump did not list this connection. */
  lastUsedS: number | null;
  /** A ping was sent and no pong came back yet (ws.dump); null when not listed. */
  awaitingPong: boolean | null;
  /** When kamdash first saw this connection id on this node (ISO); its age is at least now − firstSeenAt. */
  firstSeenAt: string | null;
};

/**
 * Rows for one node. `wsDump` may be null (module not loaded, probe failing). `firstSeen` maps connection ids to
 * the ISO time kamdash first listed them (lib/troubleshoot/list-store.ts).
 */
export function connectionRows(
  node: string,
  connections: readonly TcpConnection[],
  contacts: readonly RegisteredContact[],
  wsDump: readonly WsConnection[] | null,
  firstSeen: ReadonlyMap<number, string> = new Map(),
): ConnectionRow[] {
  const byConnection = new Map<number, RegisteredContact[]>();
  for (const contact of contacts) {
    if (contact.tcpconnId < 0) continue;
    const list = byConnection.get(contact.tcpconnId) ?? [];
    list.push(contact);
    byConnection.set(contact.tcpconnId, list);
  }
  const ws = new Map((wsDump ?? []).map((w) => [w.id, w]));
  return connections.map((c) => {
    const carried = byConnection.get(c.id) ?? [];
    const listed = ws.get(c.id);
    return {
      node,
      id: c.id,
      transport: c.type,
      sourceIp: c.srcIp,
      sourcePort: c.srcPort,
      state: c.state,
      idleTimeoutS: c.timeoutSeconds,
      aors: [...new Set(carried.map((k) => `${k.aor}`))].sort(),
      userAgent: carried[0]?.userAgent ?? null,
      lastUsedS: listed ? listed.lastUsedSeconds : null,
      awaitingPong: listed ? listed.awaitingPong : null,
      firstSeenAt: firstSeen.get(c.id) ?? null,
    };
  });
}
