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

/** Contacts per transport of the connection they are bound to (registrations joined to core.tcp_list). */
function registrationsByConnection(results: ProbeResults): Record<string, number> {
  const { connections, registrations } = results;
  if (!registrations) return {};
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
    [derivedStatKeys.registrationsWs]: registrationsWs,
    [derivedStatKeys.registrationsWss]: registrationsWss,
    [derivedStatKeys.registrationsStaleConnection]: stale,
  };
}

/**
 * Turns one node's probe results into the snapshot's numbers. The numbers of an unavailable probe are null and
 * its derived stats are left out (never zeros).
 */
export function measure(results: ProbeResults): NodeMeasurement {
  const { connections, registrations, dialogs, rtpengine, websockets } = results;
  return {
    ws: connections.ws,
    wss: connections.wss,
    registrations: registrations ? registrations.contacts.length : null,
    aors: registrations ? registrations.aors : null,
    dialogsActive: dialogs ? dialogs.active : null,
    dialogsEarly: dialogs ? dialogs.early : null,
    rtpengineUp: rtpengine ? rtpengine.up : null,
    rtpengineTotal: rtpengine ? rtpengine.total : null,
    rtpengines: rtpengine ? rtpengine.engines : null,
    branches: results.branches,
    stats: {
      ...results.stats,
      ...registrationsByConnection(results),
      ...(websockets
        ? {
            [derivedStatKeys.wsAwaitingPong]: websockets.awaitingPong,
            [derivedStatKeys.wsDumpTruncated]: websockets.truncated ? 1 : 0,
          }
        : {}),
      [derivedStatKeys.rpcRetries]: results.retries,
    },
    unavailable: results.unavailable,
  };
}
