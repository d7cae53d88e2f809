import { evaluateAlertsAfterSnapshot } from "@/lib/alerts/hook";
import { labHandshakeTarget } from "@/lib/handshake/targets";
import { createKamailioClient } from "@/lib/kamailio/client";
import type { Db } from "@/lib/metrics/db";
import { getLastNodeState } from "@/lib/metrics/queries/getLastNodeState";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeSample } from "@/lib/metrics/writeSample";
import { displayRpcUrl } from "@/lib/nodes/node-spec";
import { LAB_NODE_NAME } from "@/lib/nodes/seed";
import { createRtpengineNgClient, type RtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { type CollectMode, collectCycle } from "./collect";
import { type PollerConfig, STARTUP_GRACE_MS, UNAVAILABLE_RECHECK_MS } from "./config";
import { publish, putNodeSnapshot, retainNodes, setPollIntervalMs, takeDemands } from "./live";
import { type NodePollState, type NodeTarget, newNodePollState, pollNodeOnce } from "./poll-node";
import type { NgPing, NgSessions, ProbeRpc } from "./probes/types";
import { createScheduler, type ScheduledJob, type Scheduler } from "./scheduler";

export type PollerOptions = {
  db: Db;
  config: PollerConfig;
  collectMode?: CollectMode;
  /** Defaults to lib/kamailio's client with the configured timeouts. */
  createRpc?: (target: NodeTarget) => ProbeRpc;
  /** Defaults to an NG client per media server (none when config.rtpenginePing is off). */
  ngPing?: NgPing;
  onError?: (key: string, err: unknown) => void;
};

export type Poller = Scheduler;

/** One schedule per enabled node (re-read every 15 intervals or on notify()), each cycle via pollNodeOnce. */
export function createPoller(options: PollerOptions): Poller {
  const { db, config } = options;
  setPollIntervalMs(config.intervalMs);
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
  const labHandshake = labHandshakeTarget();

  function jobFor(target: NodeTarget): ScheduledJob {
    const rpc = createRpc(target);
    // what the snapshot and events show: credentials stay with the RPC client
    const shown: NodeTarget = { ...target, rpcUrl: displayRpcUrl(target.rpcUrl) };
    let state: NodePollState | null = null;
    return {
      key: target.name,
      version: `${target.id} ${target.rpcUrl}`,
      async run(signal) {
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
                  handshake:
                    config.handshakeTargets.get(target.name) ??
                    (target.name === LAB_NODE_NAME ? (labHandshake ?? undefined) : undefined),
                  branchCounterGroup: config.branchCounterGroup,
                  heavyMaxReplyBytes: config.heavyMaxReplyBytes,
                },
                memory,
                { ...cycle, intervalMs: config.intervalMs, timing, mode: options.collectMode },
              ),
            publish: (snapshot) => {
              putNodeSnapshot(snapshot);
              publish();
            },
            persist: async (snapshot) => {
              await writeSample(db, target.id, snapshot);
              // alerts (lib/alerts): evaluated after each node snapshot, inside the run so stopAll() waits for it
              await evaluateAlertsAfterSnapshot(db, snapshot);
            },
            recordEvent: async (event) => {
              await writeEvent(db, { nodeId: target.id, ...event });
            },
          },
          signal,
        );
      },
    };
  }

  const scheduler = createScheduler({
    intervalMs: config.intervalMs,
    timeoutMs: config.runTimeoutMs,
    onError: options.onError,
    loadJobs: async () => {
      const nodes = (await getNodes(db)).filter((n) => n.enabled);
      if (retainNodes(new Set(nodes.map((n) => n.name))) > 0) publish();
      return nodes.map((n) => jobFor({ id: n.id, name: n.name, rpcUrl: n.rpcUrl }));
    },
  });
  return {
    ...scheduler,
    async stopAll() {
      await scheduler.stopAll();
      await pinger?.close();
    },
  };
}

/** NG `ping` and `statistics` through one client per media server address, kept open and closed with the poller. */
function createNgPinger(timeoutMs: number): {
  ping: NgPing;
  sessions: NgSessions;
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
      const { currentstatistics: c } = await clientFor(address).statistics();
      return { own: c.sessionsown, foreign: c.sessionsforeign, total: c.sessionstotal };
    },
    close: async () => {
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}
