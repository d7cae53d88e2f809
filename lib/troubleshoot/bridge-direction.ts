import type { Dialog, DialogLeg } from "@/lib/kamailio/methods/dlg-list";

// The bridge direction of a call ("wss→udp"), derived from its two legs the way the gateway names its counters
// (bridge.<from>_<to>_relayed): the caller's transport, then the callee's.

export const SIP_TRANSPORTS = ["udp", "tcp", "tls", "ws", "wss"] as const;
export type SipTransport = (typeof SIP_TRANSPORTS)[number];

const isTransport = (value: string): value is SipTransport =>
  (SIP_TRANSPORTS as readonly string[]).includes(value);

// Kamailio's protocol numbers, as set_contact_alias() writes them into `;alias=host~port~proto`.
const ALIAS_PROTOS: Record<string, SipTransport> = {
  "1": "udp",
  "2": "tcp",
  "3": "tls",
  "5": "ws",
  "6": "wss",
};

/**
 * A leg's transport, from what dlg.list keeps of it:
 * 1. the `;alias=host~port~proto` that set_contact_alias() adds to a NAT'ed or WebSocket contact (5 ws, 6 wss);
 * 2. a contact saying `;transport=ws`: WSS when Kamailio's local socket is TLS (browsers write transport=ws over
 *    WSS too), else WS;
 * 3. the protocol of the local socket (`socket`, e.g. "udp:10.0.0.1:5060").
 * null when none says (the callee before it answered).
 */
export function legTransport(leg: DialogLeg): SipTransport | null {
  const contact = leg.contact ?? "";
  const alias = /;alias=[^;>]*~(\d+)(?=[;>]|$)/i.exec(contact)?.[1];
  if (alias && ALIAS_PROTOS[alias]) return ALIAS_PROTOS[alias];
  const socketProto = leg.socket?.split(":")[0]?.toLowerCase();
  const param = /;transport=([a-z]+)/i.exec(contact)?.[1]?.toLowerCase();
  if (param === "ws" || param === "wss") return socketProto === "tls" ? "wss" : "ws";
  return socketProto && isTransport(socketProto) ? socketProto : null;
}

/** "wss→udp" etc., or null while either leg's transport is unknown. */
export function bridgeDirection(dialog: Pick<Dialog, "caller" | "callee">): string | null {
  const from = legTransport(dialog.caller);
  const to = legTransport(dialog.callee);
  return from && to ? `${from}→${to}` : null;
}
