import { evaluateAlertsAfterSnapshot } from "@/lib/alerts/hook";
import { getCanaryState } from "@/lib/canary/live";
import { createCanaryScheduler } from "@/lib/canary/schedule";
import { labHandshakeTarget } from "@/lib/handshake/targets";
import { createKamailioClient } from "@/lib/kamailio/client";
import { log, nodeLog } from "@/lib/log";
import { type NgQuery, retainNodeMedia } from "@/lib/media/media-watch";
import { pollCallMedia } from "@/lib/media/poll-media";
import type { Db } from "@/lib/metrics/db";
import { getLastNodeState } from "@/lib/metrics/queries/getLastNodeState";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { createWriteBuffer, readWriteBufferMax } from "@/lib/metrics/write-buffer";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeEvents } from "@/lib/metrics/writeEvents";
import { writeHandshakeAttempt } from "@/lib/metrics/writeHandshakeAttempt";
import { writeSample } from "@/lib/metrics/writeSample";
import { displayRpcUrl } from "@/lib/nodes/node-spec";
import { listNodeProbeSettings } from "@/lib/nodes/registry";
import { instanceStatsFromNg, readMetricsInstance } from "@/lib/rtpengine/instance-stats";
import { createRtpengineNgClient, type RtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { recordNodeLists, retainNodeLists } from "@/lib/troubleshoot/list-store";
import { type CollectMode, collectCycle } from "./collect";
import { type PollerConfig, STARTUP_GRACE_MS, UNAVAILABLE_RECHECK_MS } from "./config";
import {
  publish,
  putNodeSnapshot,
  retainNodes,
  setHistoryStoreStatus,
  setPollIntervalMs,
  takeDemands,
} from "./live";
import { createNodeSettings } from "./node-settings";
import { type NodePollState, type NodeTarget, newNodePollState, pollNodeOnce } from "./poll-node";
import type { NgPing, NgSessions, ProbeRpc } from "./probes/types";
import { fenceOnce, MERGE_JOB_KEY, type Replica } from "./replica";
import { createScheduler, type ScheduledJob, type Scheduler } from "./scheduler";
import type { NodeSnapshot } from "./snapshot";

export type PollerOptions = {
  db: Db;
  config: PollerConfig;
  collectMode?: CollectMode;
  /** Defaults to lib/kamailio's client with the configured timeouts. */
  createRpc?: (target: NodeTarget) => ProbeRpc;
  /** Defaults to an NG client per media server (none when config.rtpenginePing is off). */
  ngPing?: NgPing;
  onError?: (key: string, err: unknown) => void;
  /** One of several replicas on PostgreSQL (lib/poller/replica.ts). Absent: this process polls every node. */
  replica?: Replica;
  /** Samples kept in memory while the database does not answer (default KAMDASH_WRITE_BUFFER_MAX). */
  writeBufferMax?: number;
};

export type Poller = Scheduler;

/** One schedule per enabled node (re-read every 15 intervals or on notify()), each cycle via pollNodeOnce. */
export function createPoller(options: PollerOptions): Poller {
  const { db, config, replica } = options;
  setPollIntervalMs(config.intervalMs);
  // samples, events, handshake attempts: one ordered, bounded buffer while the database is away (the snapshot says so)
  const history = createWriteBuffer({
    db,
    max: options.writeBufferMax ?? readWriteBufferMax(),
    onStatus: () => publish(), // unavailable, back, or a sample dropped: tell the live view now
    onRowError: (err) => (options.onError ?? defaultReport)("history-store", err),
  });
  setHistoryStoreStatus(history.status);
  const createRpc =
    options.createRpc ??
    ((target: NodeTarget) =>
      createKamailioClient({
        url: target.rpcUrl,
        timeoutMs: config.rpcTimeoutMs,
        maxReplyBytes: config.rpcMaxReplyBytes,
      }));

  const pinger = !options.ngPing && config.rtpenginePing ? createNgPinger(config.rpcTimeoutMs) : null;
  const ngPing = options.ngPing ?? pinger?.ping;
  const ngSessions = options.ngPing ? undefined : pinger?.sessions;
  const timing = {
    heavyIntervalMs: config.heavyIntervalMs,
    backoffMaxMs: config.probeBackoffMaxMs,
    staleMaxMs: config.staleMaxMs,
    startupGraceMs: STARTUP_GRACE_MS,
    unavailableRecheckMs: UNAVAILABLE_RECHECK_MS,
    handshakeIntervalMs: config.handshakeIntervalMs,
  };
  // per-node handshake target/interval and RTPEngine addresses (admin setting > KAMDASH_HANDSHAKE > lab default)
  const settings = createNodeSettings(
    config.handshakeTargets,
    labHandshakeTarget(),
    config.handshakeIntervalMs,
  );
  const metricsSessions = pinger
    ? (url: string) => readMetricsInstance(url, Math.min(config.rpcTimeoutMs, 1000))
    : undefined;

  function jobFor(target: NodeTarget): ScheduledJob {
    const rpc = createRpc(target);
    // what the snapshot and events show: credentials stay with the RPC client
    const shown: NodeTarget = { ...target, rpcUrl: displayRpcUrl(target.rpcUrl) };
    let state: NodePollState | null = null;
    // the canary runs on its own schedule (lib/canary/schedule.ts); each snapshot carries its latest state
    const withCanary = (snapshot: NodeSnapshot): NodeSnapshot => ({
      ...snapshot,
      canary: getCanaryState(target.name),
    });
    let lastAttemptAt: string | null = null;
    return {
      key: target.name,
      version: `${target.id} ${target.rpcUrl}`,
      async run(signal) {
        if (replica && !(await replica.holdNode(target.id, signal))) {
          state = null; // polled elsewhere now: start again from the stored state if the node comes back to us
          return;
        }
        // checked once, at the cycle's first write: a cycle that lost its lease meanwhile writes nothing
        const mayWrite = fenceOnce(replica, target.id);
        if (!state) {
          const last = await getLastNodeState(db, target.id);
          state = newNodePollState({
            knownUp: last.lastUp,
            lastUpAt: last.lastUpAt?.toISOString() ?? null,
            lastUp: last.lastUpNumbers,
            // what the last stored answer implies, so a restart while kamdash was stopped is seen too
            kamailio: last.kamailio,
          });
        }
        for (const probe of takeDemands(target.name)) {
          const memory = state.probes.get(probe);
          if (memory) memory.nextDueAtMs = 0;
        }
        const probeSettings = settings.forCycle(target.name, state.probes);
        await pollNodeOnce(
          shown,
          state,
          {
            intervalMs: config.intervalMs,
            collect: (memory, cycle) =>
              collectCycle(
                {
                  rpc,
                  ngPing,
                  ngSessions,
                  metricsSessions,
                  rtpengineAddresses: probeSettings.rtpengineAddresses,
                  handshake: probeSettings.handshake,
                  branchCounterGroup: config.branchCounterGroup,
                  heavyMaxReplyBytes: config.heavyMaxReplyBytes,
                },
                memory,
                {
                  ...cycle,
                  intervalMs: config.intervalMs,
                  timing: { ...timing, handshakeIntervalMs: probeSettings.handshakeIntervalMs },
                  mode: options.collectMode,
                  // room left for the last probe's timeout and the liveness re-check within the run timeout
                  budgetMs: Math.max(0, config.runTimeoutMs - 2 * config.rpcTimeoutMs - 200),
                },
              ),
            publish: (snapshot) => {
              // a run that was in flight when its node was removed or disabled must not bring it back
              if (!polledNames.has(target.name)) return;
              putNodeSnapshot(withCanary(snapshot));
              publish();
            },
            persist: async (snapshot, fresh) => {
              if (!(await mayWrite())) return;
              const row = withCanary(snapshot);
              const write = (d: Db) => writeSample(d, target.id, row);
              history.add({
                kind: "sample",
                at: new Date(snapshot.polledAt),
                write: replica ? replica.guardLate(target.id, row.polledAt, write) : write,
              });
              const attempt = fresh.handshakeAttempt;
              if (attempt && attempt.at !== lastAttemptAt) {
                const at = new Date(attempt.at); // one row per attempt
                history.add({ kind: "row", at, write: (d) => writeHandshakeAttempt(d, target.id, attempt) });
                lastAttemptAt = attempt.at;
              }
              await history.flush({ waitMs: config.intervalMs });
              // the database does not answer: sharing and alerts (which read and write it) wait for it
              if (history.unavailable()) return;
              await replica?.share(target.id, row);
              // alerts (lib/alerts): evaluated after each node snapshot, inside the run so stopAll() waits for it
              await evaluateAlertsAfterSnapshot(db, row);
            },
            recordEvent: async (event) => {
              if (!(await mayWrite())) return;
              const at = new Date();
              const write = (d: Db) => writeEvent(d, { nodeId: target.id, at, ...event });
              history.add({ kind: "row", at, write });
              if (!history.unavailable()) await history.flush();
            },
            lists: async (seen) => {
              if (!polledNames.has(target.name) || !(await mayWrite())) return;
              const changes = recordNodeLists(target.name, seen);
              const at = new Date(seen.at);
              const media = pinger
                ? await pollCallMedia(target.name, seen, {
                    query: pinger.query,
                    addresses: probeSettings.rtpengineAddresses,
                    ...config.media,
                  })
                : [];
              const rows = [
                ...changes.map((c) => ({ nodeId: target.id, severity: "info" as const, at, ...c })),
                ...media.map((m) => ({ nodeId: target.id, at, ...m })),
              ];
              // one queued write for the batch; persist (next in the cycle) flushes it
              if (rows.length > 0) history.add({ kind: "row", at, write: (d) => writeEvents(d, rows) });
            },
          },
          signal,
        );
      },
    };
  }

  let polledNames = new Set<string>();
  const scheduler = createScheduler({
    intervalMs: config.intervalMs,
    timeoutMs: config.runTimeoutMs,
    onError: options.onError ?? defaultReport,
    loadJobs: async () => {
      const nodes = (await getNodes(db)).filter((n) => n.enabled);
      settings.replace(await listNodeProbeSettings(db));
      const names = new Set(nodes.map((n) => n.name));
      polledNames = names;
      retainNodeLists(names);
      retainNodeMedia(names);
      if (retainNodes(names) > 0) publish();
      const jobs = nodes.map((n) => jobFor({ id: n.id, name: n.name, rpcUrl: n.rpcUrl }));
      return replica ? [...jobs, replica.mergeJob()] : jobs;
    },
  });
  // the synthetic canary (KAMDASH_CANARY=on): null when off
  const canary = createCanaryScheduler({
    db,
    config: config.canary,
    onError: options.onError ?? defaultReport,
  });
  return {
    ...scheduler,
    keys: () => scheduler.keys().filter((key) => key !== MERGE_JOB_KEY),
    async start() {
      replica?.start();
      await scheduler.start();
      await canary?.start();
    },
    async notify() {
      await scheduler.notify();
      await canary?.notify();
    },
    async stopAll() {
      await Promise.all([scheduler.stopAll(), canary?.stopAll()]);
      await history.flush(); // what waits goes out now (fails fast while the database is away)
      await replica?.stop().catch((err: unknown) => options.onError?.(MERGE_JOB_KEY, err));
      await pinger?.close();
    },
  };
}

/** Without options.onError: a node's failed cycle is logged with `node`; other jobs name themselves. */
const defaultReport = (key: string, err: unknown) =>
  key === "history-store" || key === MERGE_JOB_KEY
    ? log.error({ job: key, err }, `poller: ${key} failed`)
    : nodeLog(key).error({ err }, `poller: node ${key}: poll cycle failed`);

/** NG `ping` and `statistics` through one client per media server address, kept open and closed with the poller. */
function createNgPinger(timeoutMs: number): {
  ping: NgPing;
  sessions: NgSessions;
  query: NgQuery;
  close: () => Promise<void>;
} {
  const clients = new Map<string, RtpengineNgClient>();
  const clientFor = (address: string) => {
    let client = clients.get(address);
    if (!client) {
      client = createRtpengineNgClient({ address, timeoutMs: Math.min(timeoutMs, 1000) });
      clients.set(address, client);
    }
    return client;
  };
  return {
    ping: (address) => clientFor(address).ping(),
    sessions: async (address) => {
      const stats = instanceStatsFromNg(await clientFor(address).statistics());
      return { ...stats.sessions, stats };
    },
    query: (address, callId) => clientFor(address).queryReply(callId),
    close: async () => {
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}
