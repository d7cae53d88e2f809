import { CNT_GRP_GET_ALL, type CounterGroup, parseCntGrpGetAll } from "./methods/cnt-grp-get-all";
import { CORE_TCP_LIST, parseCoreTcpList, type TcpConnection } from "./methods/core-tcp-list";
import { CORE_UPTIME, type CoreUptime, parseCoreUptime } from "./methods/core-uptime";
import { CORE_VERSION, type CoreVersion, parseCoreVersion } from "./methods/core-version";
import { type DialogHash, DLG_END_DLG, dlgEndDlgParams, parseDlgEndDlg } from "./methods/dlg-end-dlg";
import { type Dialog, DLG_LIST, parseDlgList } from "./methods/dlg-list";
import { type DialogStateCounts, DLG_STATS_ACTIVE, parseDlgStatsActive } from "./methods/dlg-stats-active";
import {
  parseRtpengineEnable,
  RTPENGINE_ENABLE,
  type RtpengineEnableResult,
  rtpengineEnableParams,
} from "./methods/rtpengine-enable";
import { parseRtpengineShow, RTPENGINE_SHOW, type RtpengineNode } from "./methods/rtpengine-show";
import { parseStatsFetch, STATS_FETCH, type StatsMap, statsFetchParams } from "./methods/stats-fetch";
import { parseUlDbCount, UL_DB_CONTACTS } from "./methods/ul-db-count";
import { parseUlDump, parseUlDumpBrief, UL_DUMP, type UlBriefDomain, type UlDomain } from "./methods/ul-dump";
import { parseWsClose, parseWsPing, WS_CLOSE, WS_PING } from "./methods/ws-actions";
import { parseWsDump, WS_DUMP, type WsDump, type WsDumpOrder } from "./methods/ws-dump";
import {
  createRpcTransport,
  type RpcCallOptions,
  type RpcParam,
  type RpcTransportOptions,
} from "./transport";

export type KamailioClientOptions = RpcTransportOptions;

export interface KamailioClient {
  /** The RPC URL without credentials. */
  readonly nodeUrl: string;
  /** Every TCP/TLS/WS/WSS connection. */
  tcpList(): Promise<TcpConnection[]>;
  /** WebSocket connections, at most 50 (see `truncated`). */
  wsDump(order?: WsDumpOrder): Promise<WsDump>;
  /** Registrations with every contact field (User-Agent, Tcpconn-Id, Socket…); `options` can set a reply budget. */
  ulDump(options?: RpcCallOptions): Promise<UlDomain[]>;
  /** AORs only: much smaller than ulDump() when contacts are not needed. */
  ulDumpBrief(): Promise<UlBriefDomain[]>;
  dlgList(options?: RpcCallOptions): Promise<Dialog[]>;
  /** Dialogs counted by state inside Kamailio (cheap: no list is sent). */
  dlgStatsActive(): Promise<DialogStateCounts>;
  /** Contact rows in a usrloc database table (e.g. "location"). */
  ulDbContacts(table: string): Promise<number>;
  /** The RTPEngine instances Kamailio uses, normalized across the 5.x and 6.x reply shapes. */
  rtpengineShowAll(): Promise<RtpengineNode[]>;
  /** Statistics of the given groups (e.g. ["websocket", "dialog", "tmx"]); all groups when empty. */
  statsFetch(groups?: readonly string[]): Promise<StatsMap>;
  cntGrpGetAll(group: string): Promise<CounterGroup>;
  coreUptime(): Promise<CoreUptime>;
  coreVersion(): Promise<CoreVersion>;
  /** ws.close: closes the WebSocket connection with that id (close frame 1000). */
  wsClose(connectionId: number): Promise<void>;
  /** ws.ping: sends a ping frame on the connection with that id. */
  wsPing(connectionId: number): Promise<void>;
  /** dlg.end_dlg: Kamailio sends BYE to both legs of the dialog. */
  dlgEndDlg(hash: DialogHash): Promise<void>;
  /** rtpengine.enable: puts the instance (url as rtpengine.show lists it) in or out of Kamailio's selection. */
  rtpengineEnable(url: string, enabled: boolean): Promise<RtpengineEnableResult>;
  /** Raw JSON-RPC call returning the unvalidated `result`; for the methods above and the benchmark. */
  call(method: string, params?: readonly RpcParam[], options?: RpcCallOptions): Promise<unknown>;
}

export function createKamailioClient(options: KamailioClientOptions): KamailioClient {
  const transport = createRpcTransport(options);
  const { nodeUrl, call } = transport;
  return {
    nodeUrl,
    call,
    tcpList: async () => parseCoreTcpList(await call(CORE_TCP_LIST), nodeUrl),
    wsDump: async (order) => parseWsDump(await call(WS_DUMP, order ? [order] : []), nodeUrl),
    ulDump: async (options) => parseUlDump(await call(UL_DUMP, [], options), nodeUrl),
    ulDumpBrief: async () => parseUlDumpBrief(await call(UL_DUMP, ["brief"]), nodeUrl),
    dlgList: async (options) => parseDlgList(await call(DLG_LIST, [], options), nodeUrl),
    dlgStatsActive: async () => parseDlgStatsActive(await call(DLG_STATS_ACTIVE), nodeUrl),
    ulDbContacts: async (table) =>
      parseUlDbCount(await call(UL_DB_CONTACTS, [table]), UL_DB_CONTACTS, nodeUrl),
    rtpengineShowAll: async () => parseRtpengineShow(await call(RTPENGINE_SHOW, ["all"]), nodeUrl),
    statsFetch: async (groups = []) =>
      parseStatsFetch(await call(STATS_FETCH, statsFetchParams(groups)), nodeUrl),
    cntGrpGetAll: async (group) => parseCntGrpGetAll(await call(CNT_GRP_GET_ALL, [group]), nodeUrl),
    coreUptime: async () => parseCoreUptime(await call(CORE_UPTIME), nodeUrl),
    coreVersion: async () => parseCoreVersion(await call(CORE_VERSION), nodeUrl),
    wsClose: async (id) => parseWsClose(await call(WS_CLOSE, [id]), nodeUrl),
    wsPing: async (id) => parseWsPing(await call(WS_PING, [id]), nodeUrl),
    dlgEndDlg: async (hash) => parseDlgEndDlg(await call(DLG_END_DLG, dlgEndDlgParams(hash)), nodeUrl),
    rtpengineEnable: async (url, enabled) =>
      parseRtpengineEnable(await call(RTPENGINE_ENABLE, rtpengineEnableParams(url, enabled)), nodeUrl),
  };
}
