import type { NodeSnapshot } from "@/lib/poller/snapshot";

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
} & { [K in keyof typeof statColumns]: bigint | null };

const toBigInt = (value: number | undefined): bigint | null =>
  value === undefined || !Number.isFinite(value) ? null : BigInt(Math.trunc(value));

const toInt = (value: number | undefined): number | null =>
  value === undefined || !Number.isFinite(value) ? null : Math.trunc(value);

/** The Sample row of one snapshot: a down node gives nulls everywhere but up/error/duration. */
export function sampleColumns(snapshot: NodeSnapshot): SampleColumns {
  const stats = snapshot.stats ?? {};
  const branches = snapshot.branches;
  const counters = Object.fromEntries(
    Object.entries(statColumns).map(([column, key]) => [column, snapshot.up ? toBigInt(stats[key]) : null]),
  ) as { [K in keyof typeof statColumns]: bigint | null };
  return {
    at: new Date(snapshot.polledAt),
    up: snapshot.up,
    error: snapshot.error,
    durationMs: Math.round(snapshot.durationMs),
    wsConnections: snapshot.ws,
    wssConnections: snapshot.wss,
    registrations: snapshot.registrations,
    aors: snapshot.aors,
    dialogsActive: snapshot.dialogsActive,
    dialogsEarly: snapshot.dialogsEarly,
    rtpengineUp: snapshot.rtpengineUp,
    rtpengineTotal: snapshot.rtpengineTotal,
    transactionsActive: snapshot.up ? toInt(stats[TRANSACTIONS_ACTIVE_STAT]) : null,
    branchRelayed: branches ? BigInt(branches.reduce((sum, b) => sum + Math.trunc(b.relayed), 0)) : null,
    branchFailed: branches ? BigInt(branches.reduce((sum, b) => sum + Math.trunc(b.failed), 0)) : null,
    ...counters,
  };
}
