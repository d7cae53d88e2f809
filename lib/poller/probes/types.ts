import type { CounterGroup } from "@/lib/kamailio/methods/cnt-grp-get-all";
import type { TcpConnection } from "@/lib/kamailio/methods/core-tcp-list";
import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import type { RtpengineNode } from "@/lib/kamailio/methods/rtpengine-show";
import type { StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import type { UlDomain } from "@/lib/kamailio/methods/ul-dump";
import type { WsDump } from "@/lib/kamailio/methods/ws-dump";

/** The Kamailio RPC calls probes make (lib/kamailio's client provides them). */
export interface ProbeRpc {
  tcpList(): Promise<TcpConnection[]>;
  wsDump(): Promise<WsDump>;
  ulDump(): Promise<UlDomain[]>;
  dlgList(): Promise<Dialog[]>;
  rtpengineShowAll(): Promise<RtpengineNode[]>;
  statsFetch(groups: readonly string[]): Promise<StatsMap>;
  cntGrpGetAll(group: string): Promise<CounterGroup>;
}

export type ProbeContext = {
  rpc: ProbeRpc;
  /** Counters group the branches probe reads (default "bridge", KAMDASH_BRANCH_COUNTER_GROUP). */
  branchCounterGroup?: string;
};

/**
 * One thing measured on a node: one file per probe, all with this shape.
 *
 * `optional: false` — the probe defines the node's liveness: any failure marks the node down.
 * `optional: true` — it reads a module or counters group a Kamailio that is not our gateway may lack. When the
 * node answers that the method does not exist (module not loaded) or the probe throws ProbeUnavailableError, the
 * probe is listed as unavailable and its numbers are null while the node stays up. Transport errors, replies
 * that do not match the schema and other RPC errors still mark the node down.
 * Only `connections` (core.tcp_list, a core method) is required. The rest are optional: ws.dump needs websocket,
 * ul.dump usrloc (a stateless proxy or load balancer may not load it), dlg.list dialog, rtpengine.show rtpengine,
 * stats.fetch kex, cnt.grp_get_all counters plus our counters group.
 */
export type Probe<Result> = {
  name: string;
  optional: boolean;
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
