import type { ProbeResults } from "./collect";
import type { NodeMeasurement } from "./snapshot";

/** Extra derived numbers kamdash adds to the node's stats (not Kamailio statistics). */
export const derivedStatKeys = {
  registrationsWs: "kamdash.registrations_ws",
  registrationsWss: "kamdash.registrations_wss",
  /** Contacts bound to a TCP connection id that core.tcp_list no longer lists. */
  registrationsStaleConnection: "kamdash.registrations_stale_connection",
  wsAwaitingPong: "kamdash.ws_awaiting_pong",
  wsDumpTruncated: "kamdash.ws_dump_truncated",
  /** RPC probes repeated after a network error in this cycle. */
  rpcRetries: "kamdash.rpc_retries",
} as const;

/** Turns one node's probe results into the snapshot's numbers, joining registrations to connections. */
export function measure(results: ProbeResults): NodeMeasurement {
  const { connections, registrations, dialogs, rtpengine } = results;
  let registrationsWs = 0;
  let registrationsWss = 0;
  let stale = 0;
  for (const contact of registrations.contacts) {
    if (contact.tcpconnId < 0) continue;
    const connection = connections.byId.get(contact.tcpconnId);
    if (!connection) stale += 1;
    else if (connection.type === "WS") registrationsWs += 1;
    else if (connection.type === "WSS") registrationsWss += 1;
  }
  return {
    ws: connections.ws,
    wss: connections.wss,
    registrations: registrations.contacts.length,
    aors: registrations.aors,
    dialogsActive: dialogs.active,
    dialogsEarly: dialogs.early,
    rtpengineUp: rtpengine.up,
    rtpengineTotal: rtpengine.total,
    rtpengines: rtpengine.engines,
    branches: results.branches,
    stats: {
      ...results.stats,
      [derivedStatKeys.registrationsWs]: registrationsWs,
      [derivedStatKeys.registrationsWss]: registrationsWss,
      [derivedStatKeys.registrationsStaleConnection]: stale,
      [derivedStatKeys.wsAwaitingPong]: connections.wsAwaitingPong,
      [derivedStatKeys.wsDumpTruncated]: connections.wsDumpTruncated ? 1 : 0,
      [derivedStatKeys.rpcRetries]: results.retries,
    },
  };
}
