import type { Prisma } from "@/lib/generated/prisma/client";
import type { NodeNumbers, NodeSnapshot } from "@/lib/poller/snapshot";
import type { SocketsVsRegistrations } from "@/lib/poller/sockets-registrations";

// Which stats.fetch values land in which Sample column (counters since Kamailio started).
export const statColumns = {
  wsHandshakesOk: "websocket.ws_successful_handshakes",
  wsHandshakesFailed: "websocket.ws_failed_handshakes",
  wsFailedConnections: "websocket.ws_failed_connections",
  dialogsProcessed: "dialog.processed_dialogs",
  dialogsFailed: "dialog.failed_dialogs",
  tmx2xx: "tmx.2xx_transactions",
  tmx4xx: "tmx.4xx_transactions",
  tmx5xx: "tmx.5xx_transactions",
  tmx6xx: "tmx.6xx_transactions",
} as const;

export const TRANSACTIONS_ACTIVE_STAT = "tmx.active_transactions";

export type SampleColumns = {
  at: Date;
  up: boolean;
  error: string | null;
  durationMs: number;
  wsConnections: number | null;
  wssConnections: number | null;
  registrations: number | null;
  aors: number | null;
  dialogsActive: number | null;
  dialogsEarly: number | null;
  rtpengineUp: number | null;
  rtpengineTotal: number | null;
  transactionsActive: number | null;
  branchRelayed: bigint | null;
  branchFailed: bigint | null;
  kamailioUptimeS: number | null;
  restarted: boolean;
  rtpengineSessions: number | null;
  callsAnswered: number | null;
  socketsWithoutRegistration: number | null;
  registrationsWithoutSocket: number | null;
  probes: Prisma.InputJsonValue | undefined;
  rejected: Prisma.InputJsonValue | undefined;
} & { [K in keyof typeof statColumns]: bigint | null };

const toBigInt = (value: number | undefined): bigint | null =>
  value === undefined || !Number.isFinite(value) ? null : BigInt(Math.trunc(value));

const toInt = (value: number | undefined): number | null =>
  value === undefined || !Number.isFinite(value) ? null : Math.trunc(value);

/** A sum that is null as soon as one part is (a partial total is not a total). */
function sumOrNull(values: readonly (number | null)[]): bigint | null {
  let sum = 0n;
  for (const value of values) {
    if (value === null) return null;
    sum += BigInt(Math.trunc(value));
  }
  return sum;
}

/**
 * The sockets-vs-registrations join when it was made in this cycle, else null: ul.dump runs on the heavy-list
 * cadence and the snapshot carries the last join between, which must not be stored again as if measured now.
 * The join's measuredAt is the cycle's start (the contacts probe's run time); polledAt − durationMs is that start
 * within a few ms, and the previous cycle started at least half an interval earlier.
 */
export function socketsMeasuredThisCycle(snapshot: NodeSnapshot): SocketsVsRegistrations | null {
  const join = snapshot.socketsVsRegistrations;
  if (!snapshot.up || !join) return null;
  const cycleStartMs = Date.parse(snapshot.polledAt) - snapshot.durationMs;
  const slackMs = Math.min(1000, snapshot.intervalMs / 2);
  return Date.parse(join.measuredAt) >= cycleStartMs - slackMs ? join : null;
}

/**
 * The Sample row of one snapshot: what was measured in this cycle, nothing else. A down node gives nulls
 * everywhere but up/error/duration; a number whose reading is not "ok" (stale last-good value, failing,
 * unavailable, rejected) is stored as null, so charts show a gap and never a repeated or impossible value.
 */
export function sampleColumns(snapshot: NodeSnapshot): SampleColumns {
  const stats = snapshot.stats ?? {};
  const branches = snapshot.branches;
  const sockets = socketsMeasuredThisCycle(snapshot);
  const measured = (key: keyof NodeNumbers): number | null =>
    snapshot.readings && snapshot.readings[key].state !== "ok" ? null : snapshot[key];
  const notOk = snapshot.probes
    .filter((p) => p.state !== "ok" && p.state !== "unavailable")
    .map(({ probe, state, reason, since, failures }) => ({ probe, state, reason, since, failures }));
  const counters = Object.fromEntries(
    Object.entries(statColumns).map(([column, key]) => [column, snapshot.up ? toBigInt(stats[key]) : null]),
  ) as { [K in keyof typeof statColumns]: bigint | null };
  return {
    at: new Date(snapshot.polledAt),
    up: snapshot.up,
    error: snapshot.error,
    durationMs: Math.round(snapshot.durationMs),
    wsConnections: measured("ws"),
    wssConnections: measured("wss"),
    registrations: measured("registrations"),
    aors: measured("aors"),
    dialogsActive: measured("dialogsActive"),
    dialogsEarly: measured("dialogsEarly"),
    rtpengineUp: measured("rtpengineUp"),
    rtpengineTotal: measured("rtpengineTotal"),
    transactionsActive: snapshot.up ? toInt(stats[TRANSACTIONS_ACTIVE_STAT]) : null,
    branchRelayed: branches ? sumOrNull(branches.map((b) => b.relayed)) : null,
    branchFailed: branches ? sumOrNull(branches.map((b) => b.failed)) : null,
    kamailioUptimeS: snapshot.up ? (snapshot.kamailio?.uptimeS ?? null) : null,
    restarted: snapshot.up && snapshot.kamailio?.restartedAt === snapshot.polledAt,
    // NG statistics own sessions and answered dialogs of this cycle (lib/poller/sessions-calls.ts), both or neither
    rtpengineSessions: snapshot.up ? (snapshot.sessionsVsCalls?.sessions ?? null) : null,
    callsAnswered: snapshot.up ? (snapshot.sessionsVsCalls?.calls ?? null) : null,
    socketsWithoutRegistration: sockets?.withoutRegistration ?? null,
    registrationsWithoutSocket: sockets?.registrationsWithoutConnection ?? null,
    probes: notOk.length > 0 ? notOk : undefined,
    rejected: snapshot.rejected.length > 0 ? snapshot.rejected : undefined,
    ...counters,
  };
}
