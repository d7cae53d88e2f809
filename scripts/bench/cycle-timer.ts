import type { KamailioClient } from "@/lib/kamailio/client";
import { isKamailioRpcError } from "@/lib/kamailio/errors";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeSample } from "@/lib/metrics/writeSample";
import { collectCycle } from "@/lib/poller/collect";
import { readPollerConfig, STARTUP_GRACE_MS, UNAVAILABLE_RECHECK_MS } from "@/lib/poller/config";
import { newNodePollState, pollNodeOnce } from "@/lib/poller/poll-node";
import { STATS_GROUPS } from "@/lib/poller/probes/stats";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { createRtpengineNgClient } from "@/lib/rtpengine/ng-client";
import type { OpenTempPostgres } from "../../tests/support/temp-postgres";

// Raw RPC time of a poll cycle's calls against the full poll cycle (lib/poller: probes + parsing + checks +
// snapshot + the Sample write to a real PostgreSQL), cycle by cycle, alternating which runs first. The full cycle
// runs on a simulated clock advancing one interval per cycle, so the heavy lists (ul.dump, dlg.list) come on their
// live cadence (every 30 s = every 15th 2-s cycle) and their cost is amortised as it is live.

/** The calls every cycle makes (lib/poller/collect.ts; the heavy lists come on their own cadence; NG ping is UDP). */
export const RAW_CALLS: readonly [string, string[]][] = [
  ["core.uptime", []],
  ["core.tcp_list", []],
  ["ws.dump", []],
  ["stats.fetch", ["usrloc:"]],
  ["dlg.stats_active", []],
  ["rtpengine.show", ["all"]],
  ["stats.fetch", STATS_GROUPS.map((g) => `${g}:`)],
  ["cnt.grp_get_all", ["bridge"]],
];
/** The heavy lists a cycle fetches on their cadence; timed raw separately to amortise them. */
export const RAW_HEAVY_CALLS: readonly [string, string[]][] = [
  ["ul.dump", []],
  ["dlg.list", []],
];

export type CycleTimings = {
  /** ms of the every-cycle calls, sequential, transport only */
  raw: number[];
  /** ms of the heavy lists, sequential, transport only */
  rawHeavy: number[];
  /** ms of the full poll cycle, Sample write included */
  full: number[];
  write: number[];
  failures: string[];
  last: NodeSnapshot | null;
  intervalMs: number;
  heavyEvery: number;
};

/** Times `cycles` raw/full pairs against node `nodeName` (created in `database`) at `intervalMs`. */
export async function timeCycles(
  rpc: KamailioClient,
  rpcUrl: string,
  database: OpenTempPostgres,
  options: { cycles: number; intervalMs: number; nodeName?: string },
): Promise<CycleTimings> {
  const { intervalMs } = options;
  const config = readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: String(intervalMs) });
  const node = await database.prisma.kamailioNode.create({
    data: { name: options.nodeName ?? "bench-carrier", rpcUrl, source: "cli" },
  });
  const target = { id: node.id, name: node.name, rpcUrl: node.rpcUrl };
  const timing = {
    heavyIntervalMs: config.heavyIntervalMs,
    backoffMaxMs: config.probeBackoffMaxMs,
    staleMaxMs: config.staleMaxMs,
    startupGraceMs: STARTUP_GRACE_MS,
    unavailableRecheckMs: UNAVAILABLE_RECHECK_MS,
  };
  const ngClients = new Map<string, ReturnType<typeof createRtpengineNgClient>>();
  const ng = (address: string) => {
    const client = ngClients.get(address) ?? createRtpengineNgClient({ address, timeoutMs: 1000 });
    ngClients.set(address, client);
    return client;
  };
  const rawCall = (method: string, params: string[]) =>
    rpc.call(method, params).catch((err: unknown) => {
      if (isKamailioRpcError(err) && err.kind === "network") return rpc.call(method, params);
      throw err;
    });
  const t: CycleTimings = {
    raw: [],
    rawHeavy: [],
    full: [],
    write: [],
    failures: [],
    last: null,
    intervalMs,
    heavyEvery: Math.round(config.heavyIntervalMs / intervalMs),
  };
  const state = newNodePollState();
  let simulatedMs = Date.now();
  const rawSet = async (calls: readonly [string, string[]][], into: number[]) => {
    const started = performance.now();
    try {
      for (const [m, p] of calls) await rawCall(m, p);
      into.push(performance.now() - started);
    } catch (err) {
      t.failures.push(`raw: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const full = async () => {
    let writeMs = 0;
    const started = performance.now();
    simulatedMs += intervalMs;
    const snapshot = await pollNodeOnce(target, state, {
      intervalMs,
      now: () => new Date(simulatedMs),
      collect: (memory, cycle) =>
        collectCycle(
          {
            rpc,
            ngPing: (address) => ng(address).ping(),
            branchCounterGroup: "bridge",
            heavyMaxReplyBytes: config.heavyMaxReplyBytes,
          },
          memory,
          { ...cycle, intervalMs, timing },
        ),
      publish: () => undefined,
      persist: async (s) => {
        const w = performance.now();
        await writeSample(database.prisma, target.id, s);
        writeMs = performance.now() - w;
      },
      recordEvent: async (e) => {
        await writeEvent(database.prisma, { nodeId: target.id, ...e });
      },
    });
    if (!snapshot.up) {
      t.failures.push(`full: ${snapshot.error}`);
      return;
    }
    t.last = snapshot;
    t.full.push(performance.now() - started);
    t.write.push(writeMs);
  };
  try {
    await rawSet(RAW_CALLS, []); // warm-up: connections, JIT
    await full();
    t.full.length = 0;
    t.write.length = 0;
    for (let i = 0; i < options.cycles; i++) {
      if (i % 2 === 0) {
        await rawSet(RAW_CALLS, t.raw);
        await full();
      } else {
        await full();
        await rawSet(RAW_CALLS, t.raw);
      }
      if (i % t.heavyEvery === 0) await rawSet(RAW_HEAVY_CALLS, t.rawHeavy);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    for (const client of ngClients.values()) await client.close();
  }
  return t;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/**
 * The ratio the issue asks for: mean full cycle / mean raw time of the same calls, the heavy lists amortised over
 * their cadence on both sides (raw = every-cycle calls + heavy lists / heavyEvery). Means, not medians: the heavy
 * cycles are 1 in 15 and a median would hide them on the full side only.
 */
export function cycleRatio(t: CycleTimings): { rawMs: number; fullMs: number; ratio: number } {
  const rawMs = mean(t.raw) + mean(t.rawHeavy) / Math.max(1, t.heavyEvery);
  const fullMs = mean(t.full);
  return { rawMs, fullMs, ratio: fullMs / rawMs };
}
