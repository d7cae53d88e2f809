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

export type ProbeContext = { rpc: ProbeRpc };

/** One thing measured on a node: one file per probe, all with this shape. */
export type Probe<Result> = {
  name: string;
  collect(ctx: ProbeContext): Promise<Result>;
};

/** A probe's failure, naming the probe so the node's error says what broke. */
export class ProbeError extends Error {
  readonly probe: string;
  constructor(probe: string, cause: unknown) {
    super(`${probe}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ProbeError";
    this.probe = probe;
  }
}
