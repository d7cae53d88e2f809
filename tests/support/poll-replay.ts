// Runs kamdash's real poll cycle (RPC client → probes → checks → snapshot → Sample columns → events) against the
// replay server answering with captured Kamailio replies. The clock is simulated: each poll is one interval later,
// so back-off, heavy cadence, stale ages and restarts can be stepped through without waiting.
import { afterEach } from "vitest";
import { createKamailioClient } from "@/lib/kamailio/client";
import { type SampleColumns, sampleColumns } from "@/lib/metrics/sample-columns";
import { collectCycle } from "@/lib/poller/collect";
import { STARTUP_GRACE_MS, UNAVAILABLE_RECHECK_MS } from "@/lib/poller/config";
import { type NodeEvent, newNodePollState, pollNodeOnce } from "@/lib/poller/poll-node";
import type { NgPing } from "@/lib/poller/probes/types";
import { type NodeSnapshot, NodeSnapshotSchema } from "@/lib/poller/snapshot";
import { type ReplayKamailio, type ReplayRoutes, startReplayKamailio } from "./replay-kamailio";

/** Our gateway as captured on the lab (tests/fixtures/rpc): WS/WSS clients registered, one call up, one ringing. */
export const labRoutes: ReplayRoutes = {
  "core.uptime": { file: "rpc/core.uptime.lab.json" },
  "core.version": { file: "rpc/core.version.lab.json" },
  "core.tcp_list": { file: "rpc/core.tcp_list.clients.json" },
  "ws.dump": { file: "rpc/ws.dump.clients.json" },
  "stats.fetch usrloc:": { file: "rpc/stats.fetch.usrloc-registered.json" },
  "ul.dump": { file: "rpc/ul.dump.registered.json" },
  "ul.db_contacts": { file: "rpc/ul.db_contacts.db-mode-0.http-500.json" },
  "dlg.stats_active": { file: "rpc/dlg.stats_active.calls.json" },
  "dlg.list": { file: "rpc/dlg.list.calls.json" },
  "rtpengine.show all": { file: "rpc/rtpengine.show.all-up.json" },
  "stats.fetch websocket: dialog: tmx:": { file: "rpc/stats.fetch.calls.json" },
  "cnt.grp_get_all bridge": { file: "rpc/cnt.grp_get_all.bridge-calls.json" },
};

export type ReplayPoll = { snapshot: NodeSnapshot; row: SampleColumns; events: NodeEvent[] };

export interface ReplayNode {
  readonly server: ReplayKamailio;
  /** Every event recorded so far. */
  readonly events: NodeEvent[];
  /** Scripts core.uptime from now on (its live, clock-driven uptime stops). */
  setCoreUptime(route: ReplayRoutes[string]): void;
  /** One poll cycle, `advanceMs` (default one interval) after the previous one. */
  poll(advanceMs?: number): Promise<ReplayPoll>;
  close(): Promise<void>;
}

export type ReplayNodeOptions = {
  intervalMs?: number;
  heavyIntervalMs?: number;
  heavyMaxReplyBytes?: number;
  backoffMaxMs?: number;
  staleMaxMs?: number;
  ngPing?: NgPing;
  rpcTimeoutMs?: number;
};

/** A node polled by the real pipeline; `routes` override labRoutes (null removes a route: Method Not Found). */
export async function startReplayNode(
  routes: Record<string, ReplayRoutes[string] | null> = {},
  options: ReplayNodeOptions = {},
): Promise<ReplayNode> {
  const merged: ReplayRoutes = { ...labRoutes };
  for (const [key, route] of Object.entries(routes)) {
    if (route === null) delete merged[key];
    else merged[key] = route;
  }
  // Kamailio's uptime moves with the (simulated) clock unless a test scripts core.uptime itself
  let liveUptime = !("core.uptime" in routes);
  const bootAtMs = Date.parse("2026-07-08T08:00:00Z");
  const server = await startReplayKamailio(merged);
  const intervalMs = options.intervalMs ?? 2000;
  const rpc = createKamailioClient({ url: server.url, timeoutMs: options.rpcTimeoutMs ?? 1500 });
  const target = { id: 1, name: "replay", rpcUrl: server.url };
  const state = newNodePollState();
  const events: NodeEvent[] = [];
  let nowMs = Date.parse("2026-07-08T09:00:00Z");
  const timing = {
    heavyIntervalMs: options.heavyIntervalMs ?? 30_000,
    backoffMaxMs: options.backoffMaxMs ?? 60_000,
    staleMaxMs: options.staleMaxMs ?? 300_000,
    startupGraceMs: STARTUP_GRACE_MS,
    unavailableRecheckMs: UNAVAILABLE_RECHECK_MS,
  };
  return {
    server,
    events,
    setCoreUptime(route) {
      liveUptime = false;
      server.set("core.uptime", route);
    },
    async poll(advanceMs = intervalMs) {
      nowMs += advanceMs;
      if (liveUptime) {
        const uptime = Math.floor((nowMs - bootAtMs) / 1000);
        const result = { now: "Wed Jul  8 09:00:00 2026", up_since: "Wed Jul  8 08:00:00 2026", uptime };
        server.set("core.uptime", { body: JSON.stringify({ jsonrpc: "2.0", result, id: 1 }) });
      }
      const cycleEvents: NodeEvent[] = [];
      let row: SampleColumns | null = null;
      const snapshot = await pollNodeOnce(target, state, {
        intervalMs,
        now: () => new Date(nowMs),
        collect: (memory, cycle) =>
          collectCycle(
            {
              rpc,
              ngPing: options.ngPing,
              branchCounterGroup: "bridge",
              heavyMaxReplyBytes: options.heavyMaxReplyBytes,
            },
            memory,
            { ...cycle, intervalMs, timing },
          ),
        publish: () => undefined,
        persist: async (s) => {
          row = sampleColumns(s);
        },
        recordEvent: async (e) => {
          cycleEvents.push(e);
          events.push(e);
        },
      });
      NodeSnapshotSchema.parse(snapshot); // what the API and the stream publish must match the contract
      if (!row) throw new Error("poll cycle stored no row");
      return { snapshot, row, events: cycleEvents };
    },
    close: () => server.close(),
  };
}

/** The state of one probe in a snapshot (throws when the probe is not listed). */
export function probeOf(snapshot: NodeSnapshot, probe: string) {
  const status = snapshot.probes.find((p) => p.probe === probe);
  if (!status)
    throw new Error(`probe ${probe} not in snapshot (${snapshot.probes.map((p) => p.probe).join(", ")})`);
  return status;
}

/** For a test file: `start(...)` gives a replay node that is closed after each test (or by the next start). */
export function replayNodePerTest(): (...args: Parameters<typeof startReplayNode>) => Promise<ReplayNode> {
  let node: ReplayNode | null = null;
  afterEach(async () => {
    await node?.close();
    node = null;
  });
  return async (...args) => {
    await node?.close();
    node = await startReplayNode(...args);
    return node;
  };
}
