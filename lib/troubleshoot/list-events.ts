import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import type { RegisteredContact } from "@/lib/poller/probes/contacts";
import { bridgeDirection } from "./bridge-direction";

// Events derived by diffing two successive readings of a node's lists: what opened, closed, registered, expired,
// started or ended in between. Nothing is emitted for a list read for the first time, across a Kamailio restart
// (every list starts empty then: the restart event says it), or for anything that did not change.

export type ListEventKind =
  | "connection_opened"
  | "connection_closed"
  | "registration_added"
  | "registration_expired"
  | "registration_removed"
  | "dialog_started"
  | "dialog_ended";

export type ListEvent = {
  kind: ListEventKind;
  /** Plain text; SIP fields in it are the user's (render as text). */
  message: string;
  /** For per-user and per-IP browsing: aor, ip, callId… */
  detail: Record<string, string | number | null>;
};

/** A contact that left within this many seconds of its expiry counts as expired rather than removed. */
const EXPIRY_SLACK_S = 5;

export function connectionEvents(
  before: readonly TcpConnection[],
  after: readonly TcpConnection[],
): ListEvent[] {
  const was = new Map(before.map((c) => [c.id, c]));
  const is = new Map(after.map((c) => [c.id, c]));
  const events: ListEvent[] = [];
  const detail = (c: TcpConnection) => ({
    connectionId: c.id,
    transport: c.type,
    ip: c.srcIp,
    port: c.srcPort,
  });
  for (const c of after)
    if (!was.has(c.id))
      events.push({
        kind: "connection_opened",
        message: `${c.type} connection ${c.id} from ${c.srcIp}:${c.srcPort} opened`,
        detail: detail(c),
      });
  for (const c of before)
    if (!is.has(c.id))
      events.push({
        kind: "connection_closed",
        message: `${c.type} connection ${c.id} from ${c.srcIp}:${c.srcPort} closed`,
        detail: detail(c),
      });
  return events;
}

const contactKey = (c: RegisteredContact) => `${c.domain}\u0000${c.aor}\u0000${c.ruid ?? c.address}`;

/** `elapsedS`: seconds between the two ul.dump readings, to tell an expiry from a removal (un-REGISTER, ul.rm). */
export function registrationEvents(
  before: readonly RegisteredContact[],
  after: readonly RegisteredContact[],
  elapsedS: number,
): ListEvent[] {
  const was = new Map(before.map((c) => [contactKey(c), c]));
  const is = new Set(after.map(contactKey));
  const events: ListEvent[] = [];
  const detail = (c: RegisteredContact) => ({
    aor: c.aor,
    domain: c.domain,
    contact: c.address,
    userAgent: c.userAgent,
    connectionId: c.tcpconnId >= 0 ? c.tcpconnId : null,
  });
  for (const c of after)
    if (!was.has(contactKey(c)))
      events.push({
        kind: "registration_added",
        message: `${c.aor} registered ${c.address}`,
        detail: detail(c),
      });
  for (const [key, c] of was) {
    if (is.has(key)) continue;
    const expired = c.expires !== null && c.expires <= elapsedS + EXPIRY_SLACK_S;
    events.push({
      kind: expired ? "registration_expired" : "registration_removed",
      message: `${c.aor} ${expired ? "registration expired" : "unregistered"}: ${c.address}`,
      detail: detail(c),
    });
  }
  return events;
}

const live = (d: Dialog) => d.state !== "deleted";
const dialogKey = (d: Dialog) => `${d.hEntry}:${d.hId}\u0000${d.callId}`;

/** Started when a dialog first appears; ended when it leaves the list or turns "deleted" (with how long it lasted). */
export function dialogEvents(before: readonly Dialog[], after: readonly Dialog[], nowS: number): ListEvent[] {
  const was = new Map(before.filter(live).map((d) => [dialogKey(d), d]));
  const is = new Map(after.filter(live).map((d) => [dialogKey(d), d]));
  const events: ListEvent[] = [];
  const detail = (d: Dialog) => ({
    callId: d.callId,
    from: d.fromUri,
    to: d.toUri,
    direction: bridgeDirection(d),
  });
  for (const [key, d] of is)
    if (!was.has(key))
      events.push({
        kind: "dialog_started",
        message: `call ${d.fromUri} → ${d.toUri} started`,
        detail: detail(d),
      });
  for (const [key, d] of was) {
    if (is.has(key)) continue;
    const ended = after.find((a) => dialogKey(a) === key);
    const endS = ended && ended.endTs > 0 ? ended.endTs : nowS;
    const durationS = d.startTs > 0 ? Math.max(0, endS - d.startTs) : null;
    events.push({
      kind: "dialog_ended",
      message: `call ${d.fromUri} → ${d.toUri} ended${durationS === null ? " before it was answered" : ` after ${durationS} s`}`,
      detail: { ...detail(d), durationS },
    });
  }
  return events;
}
