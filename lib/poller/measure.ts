import type { StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import type { CycleResults } from "./collect";
import { GAUGE_BOUNDS, NumberChecker } from "./plausible";
import type { ProbeMemory } from "./probe-state";
import type { ConnectionsResult } from "./probes/connections";
import type { ContactsResult } from "./probes/contacts";
import type { DialogsResult } from "./probes/dialogs";
import type { RegistrationsResult } from "./probes/registrations";
import type { RtpengineInstance } from "./probes/rtpengine";
import { instanceStatsOf, type NgPingResult } from "./probes/rtpengine-ng";
import type { WebsocketsResult } from "./probes/websockets";
import type { Reading } from "./readings";
import { sessionsVsCalls } from "./sessions-calls";
import type { BranchCounters, NodeMeasurement, NodeNumbers, RtpengineState } from "./snapshot";
import { joinContactsToConnections, socketsVsRegistrations } from "./sockets-registrations";
import { checkedStats } from "./stats-check";

/** Extra derived numbers kamdash adds to the node's stats (not Kamailio statistics). */
export const derivedStatKeys = {
  registrationsWs: "kamdash.registrations_ws",
  registrationsWss: "kamdash.registrations_wss",
  /** Contacts bound to a TCP connection id that core.tcp_list no longer lists. */
  registrationsStaleConnection: "kamdash.registrations_stale_connection",
  wsAwaitingPong: "kamdash.ws_awaiting_pong",
  wsDumpTruncated: "kamdash.ws_dump_truncated",
  /** RPC calls repeated after a network error in this cycle. */
  rpcRetries: "kamdash.rpc_retries",
} as const;

/** Which probe each headline number comes from. */
export const numberProbe: Record<keyof NodeNumbers, string> = {
  ws: "connections",
  wss: "connections",
  registrations: "registrations",
  aors: "registrations",
  dialogsActive: "dialogs",
  dialogsEarly: "dialogs",
  rtpengineUp: "rtpengine",
  rtpengineTotal: "rtpengine",
};

export const USRLOC_DB_ONLY_REASON =
  "unavailable (usrloc keeps contacts in the database): its statistics read 0 while the node holds WS/WSS connections";

/** Contacts per transport of the connection they are bound to (registrations joined to core.tcp_list). */
function registrationsByConnection(connections: ConnectionsResult, contacts: ContactsResult) {
  const join = joinContactsToConnections(connections, contacts);
  return {
    [derivedStatKeys.registrationsWs]: join.ws,
    [derivedStatKeys.registrationsWss]: join.wss,
    [derivedStatKeys.registrationsStaleConnection]: join.withoutConnection,
  };
}

type Raw = { value: number | string | null; reading: Reading };

/**
 * Turns one cycle's probe results into the snapshot's numbers, each checked in lib/poller/plausible.ts and
 * carrying a Reading (state, reason, age, source). A failing probe's numbers are its last good values while young
 * enough (stale), else null with the reason; never zeros. `counters` holds the last accepted counter values since
 * the last restart (cleared by the caller on a restart) and is updated here.
 */
export function measure(results: CycleResults, counters: Map<string, number>): NodeMeasurement {
  const check = new NumberChecker();
  const { values, fresh, memory } = results;
  const get = <T>(probe: string) => values.get(probe) as T | undefined;
  const readingOf = (probe: string, source: string | null): Reading => {
    const m: ProbeMemory | undefined = memory.get(probe);
    if (!m) return { state: "failing", reason: `${probe}: not run yet`, measuredAt: null, source };
    return {
      state: m.state,
      reason: m.reason,
      measuredAt: m.lastAtMs === null ? null : new Date(m.lastAtMs).toISOString(),
      source,
    };
  };

  const connections = get<ConnectionsResult>("connections");
  const registrations = get<RegistrationsResult>("registrations");
  const dialogs = get<DialogsResult>("dialogs");
  const engines = get<RtpengineInstance[]>("rtpengine");
  // the NG answers: this cycle's, or while the NG probe backs off its last attempt's (which may name silent servers)
  const ng = get<NgPingResult>("rtpengine-ng");
  const ngMemory = memory.get("rtpengine-ng");
  const heldConnections = connections ? connections.ws + connections.wss : 0;

  const raws: Record<keyof NodeNumbers, Raw> = {
    ws: { value: connections?.ws ?? null, reading: readingOf("connections", "core.tcp_list") },
    wss: { value: connections?.wss ?? null, reading: readingOf("connections", "core.tcp_list") },
    registrations: {
      value: registrations?.contacts ?? null,
      reading: readingOf("registrations", registrations?.source ?? null),
    },
    aors: {
      value: registrations?.aors ?? null,
      reading: readingOf("registrations", registrations?.source ?? null),
    },
    dialogsActive: { value: dialogs?.active ?? null, reading: readingOf("dialogs", dialogs?.source ?? null) },
    dialogsEarly: { value: dialogs?.early ?? null, reading: readingOf("dialogs", dialogs?.source ?? null) },
    rtpengineUp: {
      value: null,
      reading: readingOf("rtpengine", ng ? "rtpengine.show + NG ping" : "rtpengine.show"),
    },
    rtpengineTotal: { value: engines?.length ?? null, reading: readingOf("rtpengine", "rtpengine.show") },
  };
  if (engines) {
    const silent = new Set(ng?.silent.map((s) => s.url));
    raws.rtpengineUp.value = engines.filter((e) => e.state === "up" && !silent.has(e.url)).length;
    if (ngMemory && ngMemory.state !== "ok" && ngMemory.state !== "unavailable") {
      // media servers not pinged this cycle (back-off): "up" rests on the last NG answers, not on a fresh one
      raws.rtpengineUp.reading = readingOf("rtpengine-ng", "rtpengine.show + last NG ping");
      if (!ng) raws.rtpengineUp.value = null;
    }
  }
  if (registrations?.zeroUnconfirmed && heldConnections > 0) {
    for (const key of ["registrations", "aors"] as const) {
      raws[key] = {
        value: null,
        reading: {
          ...raws[key].reading,
          state: "unavailable",
          reason: `${USRLOC_DB_ONLY_REASON} (${registrations.dbError})`,
        },
      };
    }
  }

  const bounds: Record<keyof NodeNumbers, number> = {
    ws: GAUGE_BOUNDS.connections,
    wss: GAUGE_BOUNDS.connections,
    registrations: GAUGE_BOUNDS.contacts,
    aors: GAUGE_BOUNDS.contacts,
    dialogsActive: GAUGE_BOUNDS.dialogs,
    dialogsEarly: GAUGE_BOUNDS.dialogs,
    rtpengineUp: GAUGE_BOUNDS.mediaServers,
    rtpengineTotal: GAUGE_BOUNDS.mediaServers,
  };
  const numbers = {} as Record<keyof NodeNumbers, number | null>;
  const readings = {} as Record<keyof NodeNumbers, Reading>;
  for (const key of Object.keys(raws) as (keyof NodeNumbers)[]) {
    const { value, reading } = raws[key];
    const before = check.rejections.length;
    numbers[key] = check.gauge(key, value, bounds[key]);
    const rejection = check.rejections[before];
    readings[key] = rejection
      ? { ...reading, state: "rejected", reason: `${rejection.value}: ${rejection.rule}` }
      : reading;
  }

  const stats = fresh.has("stats") ? checkedStats(get<StatsMap>("stats") ?? {}, counters, check) : {};
  const branches = fresh.has("branches")
    ? checkBranches(get<BranchCounters[]>("branches") ?? [], counters, check)
    : null;
  const contacts = fresh.has("contacts") ? get<ContactsResult>("contacts") : undefined;
  const websockets = fresh.has("websockets") ? get<WebsocketsResult>("websockets") : undefined;
  const derived = {
    // under usrloc DB-only mode ul.dump is empty whatever is registered: no per-transport split then
    ...(contacts &&
    connections &&
    registrations?.source !== "ul.db_contacts" &&
    !registrations?.zeroUnconfirmed
      ? registrationsByConnection(connections, contacts)
      : {}),
    ...(websockets
      ? {
          [derivedStatKeys.wsAwaitingPong]: websockets.awaitingPong,
          [derivedStatKeys.wsDumpTruncated]: websockets.truncated ? 1 : 0,
        }
      : {}),
    [derivedStatKeys.rpcRetries]: results.retries,
  };

  const joinable =
    contacts && connections && fresh.has("connections") && registrations?.source !== "ul.db_contacts";
  const contactsAt = memory.get("contacts")?.lastAtMs;
  return {
    ...numbers,
    readings,
    sessionsVsCalls: sessionsVsCalls(
      fresh.has("rtpengine-ng") ? ng : undefined,
      fresh.has("dialogs") ? numbers.dialogsActive : null,
    ),
    socketsVsRegistrations:
      joinable && !registrations?.zeroUnconfirmed && contactsAt
        ? socketsVsRegistrations(connections, contacts, new Date(contactsAt).toISOString())
        : undefined,
    rtpengines: engines ? engines.map((e) => toRtpengineState(e, ng, fresh.has("rtpengine-ng"))) : null,
    branches,
    stats: { ...stats, ...derived },
    probes: results.statuses,
    rejected: check.rejections,
    unavailable: results.statuses
      .filter((s) => s.state === "unavailable")
      .map((s) => ({ probe: s.probe, reason: s.reason ?? "unavailable" })),
  };
}

function toRtpengineState(
  e: RtpengineInstance,
  ng: NgPingResult | undefined,
  ngFresh: boolean,
): RtpengineState {
  const silent = ng?.silent.find((s) => s.url === e.url);
  const viaMetrics = ng?.viaMetrics?.find((m) => m.url === e.url); // NG silent, /metrics answered
  return {
    url: e.url,
    set: e.set,
    up: e.state === "up" && !silent,
    disabled: e.state !== "up",
    state: e.state,
    label: silent
      ? `${e.label}; no NG pong: ${silent.error}`
      : viaMetrics
        ? `${e.label}; sessions from /metrics (NG: ${viaMetrics.ngError ?? "no address"})`
        : e.label,
    recheckSeconds: e.recheckSeconds,
    ngAnswered: ng ? (silent || viaMetrics ? false : ng.answering.includes(e.url) ? true : null) : null,
    ...(ng ? instanceStatsOf(ng, e.url, ngFresh) : {}), // per-instance numbers, or null and why
  };
}

/** Bridge counters, printed by Kamailio through an int cast: unwrapped past 2^31 or rejected (null). */
function checkBranches(
  raw: BranchCounters[],
  counters: Map<string, number>,
  check: NumberChecker,
): BranchCounters[] {
  return raw.map((b) => ({
    direction: b.direction,
    relayed: b.relayed === null ? null : check.counter32(`cnt.${b.direction}_relayed`, b.relayed, counters),
    failed: b.failed === null ? null : check.counter32(`cnt.${b.direction}_failed`, b.failed, counters),
  }));
}
