import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import type { WsConnection } from "@/lib/kamailio/methods/ws-dump";
import type { ConnectionsResult } from "@/lib/poller/probes/connections";
import type { ContactsResult, RegisteredContact } from "@/lib/poller/probes/contacts";
import type { WebsocketsResult } from "@/lib/poller/probes/websockets";
import { connectionEvents, dialogEvents, type ListEvent, registrationEvents } from "./list-events";

// The latest lists each node's poller read (core.tcp_list, ul.dump, dlg.list, ws.dump), kept in memory for the
// troubleshooting pages, each with the time it was read. Lists come from the probes the poller already runs (the
// heavy ones on their cadence, or sooner on demand): pages never call Kamailio themselves.

export type Timed<T> = { at: string; list: T };

export type NodeLists = {
  node: string;
  connections: Timed<TcpConnection[]> | null;
  contacts: Timed<RegisteredContact[]> | null;
  dialogs: Timed<Dialog[]> | null;
  /** ws.dump lists at most 50 WebSocket connections. */
  wsDump: Timed<WsConnection[]> | null;
  /** When kamdash first listed each connection id (ISO); forgotten when the id leaves core.tcp_list. */
  firstSeen: Map<number, string>;
};

// one store per server process, shared by the poller and the pages (Next bundles them apart: keep it on globalThis)
const holder = globalThis as { __kamdashLists?: Map<string, NodeLists> };
holder.__kamdashLists ??= new Map();
const store: Map<string, NodeLists> = holder.__kamdashLists;

/**
 * Takes the lists a poll cycle read fresh (probe name → value as the probes return them: "connections",
 * "contacts", "dialog-list", "websockets"), and returns the events their changes since the previous reading make.
 * Lists not read in this cycle keep their earlier reading and time. No event on a list's first reading or when
 * Kamailio restarted in between (the restart event says it).
 */
export function recordNodeLists(
  node: string,
  seen: { values: ReadonlyMap<string, unknown>; at: string; restarted: boolean },
): ListEvent[] {
  const { values, at, restarted } = seen;
  const lists = store.get(node) ?? {
    node,
    connections: null,
    contacts: null,
    dialogs: null,
    wsDump: null,
    firstSeen: new Map<number, string>(),
  };
  const events: ListEvent[] = [];
  const connections = values.get("connections") as ConnectionsResult | undefined;
  if (connections) {
    const list = [...connections.byId.values()];
    if (lists.connections && !restarted) events.push(...connectionEvents(lists.connections.list, list));
    const ids = new Set(list.map((c) => c.id));
    for (const id of lists.firstSeen.keys()) if (!ids.has(id)) lists.firstSeen.delete(id);
    for (const id of ids) if (!lists.firstSeen.has(id)) lists.firstSeen.set(id, at);
    lists.connections = { at, list };
  }
  const contacts = values.get("contacts") as ContactsResult | undefined;
  if (contacts) {
    if (lists.contacts && !restarted) {
      const elapsedS = (Date.parse(at) - Date.parse(lists.contacts.at)) / 1000;
      events.push(...registrationEvents(lists.contacts.list, contacts.contacts, elapsedS));
    }
    lists.contacts = { at, list: contacts.contacts };
  }
  const dialogs = values.get("dialog-list") as Dialog[] | undefined;
  if (dialogs) {
    if (lists.dialogs && !restarted)
      events.push(...dialogEvents(lists.dialogs.list, dialogs, Date.parse(at) / 1000));
    lists.dialogs = { at, list: dialogs };
  }
  const ws = values.get("websockets") as WebsocketsResult | undefined;
  if (ws) lists.wsDump = { at, list: ws.connections };
  store.set(node, lists);
  return events;
}

/** The node's latest lists, or undefined before its first cycle. */
export function getNodeLists(node: string): NodeLists | undefined {
  return store.get(node);
}

/** Every node's latest lists. */
export function allNodeLists(): NodeLists[] {
  return [...store.values()];
}

/** Drops nodes no longer polled. */
export function retainNodeLists(names: ReadonlySet<string>): void {
  for (const name of store.keys()) if (!names.has(name)) store.delete(name);
}
