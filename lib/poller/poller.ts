import { createKamailioClient } from "@/lib/kamailio/client";
import type { Db } from "@/lib/metrics/db";
import { getLastNodeState } from "@/lib/metrics/queries/getLastNodeState";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeSample } from "@/lib/metrics/writeSample";
import { displayRpcUrl } from "@/lib/nodes/node-spec";
import { type CollectMode, collectProbes } from "./collect";
import type { PollerConfig } from "./config";
import { publish, putNodeSnapshot, retainNodes, setPollIntervalMs } from "./live";
import { type NodePollState, type NodeTarget, pollNodeOnce } from "./poll-node";
import type { ProbeRpc } from "./probes/types";
import { createScheduler, type ScheduledJob, type Scheduler } from "./scheduler";

export type PollerOptions = {
  db: Db;
  config: PollerConfig;
  collectMode?: CollectMode;
  /** Defaults to lib/kamailio's client with the configured timeouts. */
  createRpc?: (target: NodeTarget) => ProbeRpc;
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
          state = {
            knownUp: last.lastUp,
            lastUpAt: last.lastUpAt?.toISOString() ?? null,
            lastUp: last.lastUpNumbers,
          };
        }
        await pollNodeOnce(
          shown,
          state,
          {
            intervalMs: config.intervalMs,
            collect: () =>
              collectProbes({ rpc, branchCounterGroup: config.branchCounterGroup }, options.collectMode),
            publish: (snapshot) => {
              putNodeSnapshot(snapshot);
              publish();
            },
            persist: async (snapshot) => {
              await writeSample(db, target.id, snapshot);
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

  return createScheduler({
    intervalMs: config.intervalMs,
    timeoutMs: config.runTimeoutMs,
    onError: options.onError,
    loadJobs: async () => {
      const nodes = (await getNodes(db)).filter((n) => n.enabled);
      if (retainNodes(new Set(nodes.map((n) => n.name))) > 0) publish();
      return nodes.map((n) => jobFor({ id: n.id, name: n.name, rpcUrl: n.rpcUrl }));
    },
  });
}
