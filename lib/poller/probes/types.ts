import type { HandshakeTarget } from "@/lib/handshake/ws-handshake";
import type { CounterGroup } from "@/lib/kamailio/methods/cnt-grp-get-all";
import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { CoreUptime } from "@/lib/kamailio/methods/core-uptime";
import type { CoreVersion } from "@/lib/kamailio/methods/core-version";
import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import type { DialogStateCounts } from "@/lib/kamailio/methods/dlg-stats-active";
import type { RtpengineNode } from "@/lib/kamailio/methods/rtpengine-show";
import type { StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import type { UlDomain } from "@/lib/kamailio/methods/ul-dump";
import type { WsDump } from "@/lib/kamailio/methods/ws-dump";
import type { RpcCallOptions } from "@/lib/kamailio/transport";
import type { RtpengineInstanceStats } from "@/lib/rtpengine/instance-stats";

/** The Kamailio RPC calls probes make (lib/kamailio's client provides them). */
export interface ProbeRpc {
  coreUptime(): Promise<CoreUptime>;
  coreVersion(): Promise<CoreVersion>;
  tcpList(): Promise<TcpConnection[]>;
  wsDump(): Promise<WsDump>;
  ulDump(options?: RpcCallOptions): Promise<UlDomain[]>;
  ulDbContacts(table: string): Promise<number>;
  dlgList(options?: RpcCallOptions): Promise<Dialog[]>;
  dlgStatsActive(): Promise<DialogStateCounts>;
  rtpengineShowAll(): Promise<RtpengineNode[]>;
  statsFetch(groups: readonly string[]): Promise<StatsMap>;
  cntGrpGetAll(group: string): Promise<CounterGroup>;
}

/** Pings one RTPEngine NG control socket ("host:port"); rejects when it does not answer "pong". */
export type NgPing = (address: string) => Promise<void>;
/**
 * NG `statistics` of one RTPEngine: its current sessions (own = its calls; foreign = a cluster peer's) and, when
 * the implementation reads them, its per-instance numbers (rates, MOS/jitter/loss, ports).
 */
export type NgSessions = (
  address: string,
) => Promise<{ own: number; foreign: number; total: number; stats?: RtpengineInstanceStats }>;
/** RTPEngine's HTTP /metrics at this URL: its current sessions (and stats); rejects when it does not answer or lacks them. */
export type MetricsSessions = (
  metricsUrl: string,
) => Promise<{ own: number; foreign: number; total: number; stats?: RtpengineInstanceStats }>;
/** Per media server (keyed by the URL rtpengine.show lists), where kamdash sends NG and reads /metrics instead. */
export type RtpengineAddressOverrides = Readonly<
  Record<string, { readonly ng: string | null; readonly metricsUrl: string | null }>
>;

export type ProbeContext = {
  rpc: ProbeRpc;
  /** Counters group the branches probe reads (default "bridge", KAMDASH_BRANCH_COUNTER_GROUP). */
  branchCounterGroup?: string;
  /** Reply budget for the heavy lists (ul.dump, dlg.list), bytes. */
  heavyMaxReplyBytes?: number;
  /** NG ping of the media servers Kamailio lists; absent = not pinged (KAMDASH_RTPENGINE_PING=off). */
  ngPing?: NgPing;
  /** NG statistics of the same media servers (sessions vs calls); absent = not asked. */
  ngSessions?: NgSessions;
  /** /metrics sessions of a media server with a metricsUrl override, read when NG does not answer. */
  metricsSessions?: MetricsSessions;
  /** The node's per-instance address overrides (admin setting); absent = Kamailio's URLs as listed. */
  rtpengineAddresses?: RtpengineAddressOverrides;
  /** Where and how to try a WebSocket handshake on this node; absent = not set (the probe is unavailable). */
  handshake?: HandshakeTarget;
  /** Results of probes that ran earlier in this cycle (rtpengine-ng reads rtpengine's engine list). */
  earlier: ReadonlyMap<string, unknown>;
};

/**
 * One thing measured on a node: one file per probe, all with this shape. A probe throws what went wrong; the
 * cycle (collect.ts) turns it into the probe's own state (unavailable, starting, failing) without touching the
 * node's liveness, which only the `core` probe decides.
 * `cadence: "heavy"` probes fetch whole lists (ul.dump, dlg.list) that only per-user and per-call views need:
 * they run on KAMDASH_HEAVY_INTERVAL_MS and on demand, not every cycle.
 */
export type Probe<Result> = {
  name: string;
  /** cycle: every poll; heavy: KAMDASH_HEAVY_INTERVAL_MS; handshake: KAMDASH_HANDSHAKE_INTERVAL_MS. */
  cadence: "cycle" | "heavy" | "handshake";
  collect(ctx: ProbeContext): Promise<Result>;
};

/** A probe the node answered but cannot serve: e.g. a counters group that does not exist there. */
export class ProbeUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ProbeUnavailableError";
  }
}

/** A probe's failure, naming the probe so the node's error says what broke. */
export class ProbeError extends Error {
  readonly probe: string;
  constructor(probe: string, cause: unknown) {
    super(`${probe}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ProbeError";
    this.probe = probe;
  }
}
