import { isKamailioRpcError, isMethodNotFound, type KamailioRpcError } from "@/lib/kamailio/errors";
import type { CoreVersion } from "@/lib/kamailio/methods/core-version";
import {
  ageMemory,
  applyOutcome,
  isDue,
  type ProbeMemory,
  type ProbeOutcome,
  type ProbeTiming,
  type ProbeTransition,
  shownResult,
  skippedMemory,
  toProbeStatus,
} from "./probe-state";
import { branchEstimateProbe } from "./probes/branch-estimate";
import { branchesProbe } from "./probes/branches";
import { connectionsProbe } from "./probes/connections";
import { contactsProbe } from "./probes/contacts";
import { dialogListProbe } from "./probes/dialog-list";
import { dialogsProbe } from "./probes/dialogs";
import { handshakeProbe } from "./probes/handshake";
import { registrationsProbe } from "./probes/registrations";
import { rtpengineProbe } from "./probes/rtpengine";
import { rtpengineNgProbe } from "./probes/rtpengine-ng";
import { statsProbe } from "./probes/stats";
import { type Probe, type ProbeContext, ProbeUnavailableError } from "./probes/types";
import { websocketsProbe } from "./probes/websockets";
import type { ProbeStatus } from "./readings";

/**
 * Every probe, in the order a cycle runs them (rtpengine-ng reads rtpengine's list; branch-estimate runs only when
 * branches did not answer).
 */
export const PROBES: readonly Probe<unknown>[] = [
  connectionsProbe,
  websocketsProbe,
  registrationsProbe,
  contactsProbe,
  dialogsProbe,
  dialogListProbe,
  rtpengineProbe,
  rtpengineNgProbe,
  statsProbe,
  branchesProbe,
  branchEstimateProbe,
  handshakeProbe,
];
/** The liveness probe: core.uptime (and core.version at first contact and after a restart). */
export const CORE_PROBE = "core";

export type CollectMode = "parallel" | "sequential";

/** A node whose liveness call (core.uptime) got no answer: transport error, timeout, or not a JSON-RPC server. */
export class NodeDownError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "NodeDownError";
  }
}

export type CoreReading = { uptimeS: number; version: CoreVersion | null };

export type CycleOptions = {
  nowMs: number;
  intervalMs: number;
  timing: Omit<ProbeTiming, "cadenceMs" | "intervalMs"> & {
    heavyIntervalMs: number;
    handshakeIntervalMs?: number;
  };
  /** Whether to read core.version after core.uptime answered with this uptime (first contact, restart). */
  needVersion: (uptimeS: number) => boolean;
  mode?: CollectMode;
  /**
   * Time (ms from the cycle's start) after which no further probe is started, so that a slow Kamailio cannot make
   * the cycle outlast its run timeout (which would lose the cycle's answers). Probes left out keep their last values
   * (ageing to stale) and go first in the next cycle. Unset: no budget.
   */
  budgetMs?: number;
};

export type CycleResults = {
  /** null when core.uptime answered with an error (the node is up, the core probe failing). */
  core: CoreReading | null;
  /** Each probe's values to show: fresh, last good (stale, or not due on its cadence), or absent. */
  values: Map<string, unknown>;
  /** Probes that answered in this cycle. */
  fresh: Set<string>;
  /** The probes' memories after this cycle (commit them only when the node is up). */
  memory: Map<string, ProbeMemory>;
  statuses: ProbeStatus[];
  transitions: ProbeTransition[];
  /** Calls repeated after a network error in this cycle. */
  retries: number;
  /** Probes that were due but not started because the cycle's budget was used up by slow replies. */
  skipped: string[];
};

const RETRY_DELAY_MS = 10;
const noAnswer = (e: unknown): e is KamailioRpcError =>
  isKamailioRpcError(e) && (e.kind === "network" || e.kind === "timeout");
/** Kamailio did not answer as a JSON-RPC server: nothing to say about one method, the node is down. */
const notKamailio = (e: unknown) =>
  noAnswer(e) || (isKamailioRpcError(e) && (e.kind === "http" || e.kind === "too_large"));

// Node's fetch (undici) now and then finds a kept-alive connection to Kamailio closed under it ("other side
// closed", about 1 call in 300 on the lab). The calls are read-only, so a network failure is retried once.
async function withRetry<T>(work: () => Promise<T>, counter: { retries: number }): Promise<T> {
  try {
    return await work();
  } catch (first) {
    if (!(isKamailioRpcError(first) && first.kind === "network")) throw first;
    counter.retries += 1;
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    return await work();
  }
}

/** What an error means for the probe that met it. */
export function classifyFailure(error: unknown): ProbeOutcome<never> {
  if (error instanceof ProbeUnavailableError) return { kind: "unavailable", reason: error.message };
  if (isMethodNotFound(error)) {
    return { kind: "unavailable", reason: `${error.method}: ${error.detail} (module not loaded)` };
  }
  if (isKamailioRpcError(error)) {
    if (error.kind === "rpc" && /^initializing/i.test(error.rpcMessage ?? "")) {
      return { kind: "starting", reason: `${error.method}: ${error.detail} (Kamailio is starting)` };
    }
    if (error.kind === "too_large") {
      return {
        kind: "failing",
        reason: `${error.method}: ${error.detail.replace("(maxReplyBytes)", "(heavy reply budget)")}`,
      };
    }
    return { kind: "failing", reason: `${error.method}: ${error.detail}` };
  }
  return { kind: "failing", reason: error instanceof Error ? error.message : String(error) };
}

async function readCore(ctx: ProbeContext, options: CycleOptions, counter: { retries: number }) {
  const uptime = await withRetry(() => ctx.rpc.coreUptime(), counter);
  const version = options.needVersion(uptime.uptimeSeconds)
    ? await withRetry(() => ctx.rpc.coreVersion(), counter)
    : null;
  return { uptimeS: uptime.uptimeSeconds, version };
}

/**
 * One cycle of one node. core.uptime decides liveness: no answer (transport error, timeout, not JSON-RPC) throws
 * NodeDownError; every other probe failing only changes that probe's state. Probes not due (heavy cadence,
 * back-off) keep their last values. When a probe got no answer, liveness is asked again after the probes, so a
 * Kamailio that died mid-cycle reads down rather than as a row of failing probes.
 * `memory` is read, not changed: the result carries the probes' next memories.
 */
export async function collectCycle(
  ctx: Omit<ProbeContext, "earlier">,
  memory: ReadonlyMap<string, ProbeMemory>,
  options: CycleOptions,
): Promise<CycleResults> {
  const counter = { retries: 0 };
  const { nowMs, intervalMs } = options;
  const startedAt = Date.now();
  const skipped: string[] = [];
  const next = new Map(memory);
  const transitions: ProbeTransition[] = [];
  const values = new Map<string, unknown>();
  const fresh = new Set<string>();
  let silentProbe = false;
  const cadenceMs = {
    cycle: intervalMs,
    heavy: options.timing.heavyIntervalMs,
    handshake: options.timing.handshakeIntervalMs ?? intervalMs,
  };
  const timingFor = (cadence: Probe<unknown>["cadence"]): ProbeTiming => ({
    ...options.timing,
    intervalMs,
    cadenceMs: cadenceMs[cadence],
    retryAtCadence: cadence === "handshake",
  });
  const record = (name: string, cadence: Probe<unknown>["cadence"], outcome: ProbeOutcome) => {
    const applied = applyOutcome(name, next.get(name), outcome, nowMs, timingFor(cadence));
    next.set(name, applied.memory);
    if (applied.transition) transitions.push(applied.transition);
  };

  let core: CoreReading | null = null;
  try {
    core = await readCore({ ...ctx, earlier: values }, options, counter);
    record(CORE_PROBE, "cycle", { kind: "ok", result: core });
  } catch (error) {
    // every Kamailio with jsonrpcs has core.uptime: a server without it is not one we can watch
    if (notKamailio(error) || isMethodNotFound(error)) throw new NodeDownError(error);
    record(CORE_PROBE, "cycle", classifyFailure(error));
  }

  const run = async (probe: Probe<unknown>) => {
    const previous = next.get(probe.name);
    if (!isDue(previous, nowMs, intervalMs)) {
      if (previous) next.set(probe.name, ageMemory(previous, nowMs, options.timing.staleMaxMs));
      return;
    }
    if (options.budgetMs !== undefined && Date.now() - startedAt >= options.budgetMs) {
      skipped.push(probe.name);
      const reason = `${probe.name}: not asked in this cycle: slower replies used its ${options.budgetMs} ms budget`;
      if (previous) next.set(probe.name, skippedMemory(previous, nowMs, options.timing.staleMaxMs, reason));
      return;
    }
    try {
      const result = await withRetry(() => probe.collect({ ...ctx, earlier: values }), counter);
      const problem = (result as { problem?: unknown } | null)?.problem;
      if (typeof problem === "string") {
        // a partial answer (some media servers silent): the probe fails, this cycle's answers still count
        record(probe.name, probe.cadence, {
          kind: "failing",
          reason: problem.startsWith(`${probe.name}:`) ? problem : `${probe.name}: ${problem}`,
          partial: result,
        });
      } else {
        record(probe.name, probe.cadence, { kind: "ok", result });
      }
      values.set(probe.name, result);
      fresh.add(probe.name);
    } catch (error) {
      if (noAnswer(error)) silentProbe = true;
      record(probe.name, probe.cadence, classifyFailure(error));
    }
  };

  const readsEarlier = (p: Probe<unknown>) => p === rtpengineNgProbe || p === branchEstimateProbe;
  const [dependent, independent] = [PROBES.filter(readsEarlier), PROBES.filter((p) => !readsEarlier(p))];
  if (options.mode === "parallel") {
    await Promise.all(independent.map(run));
  } else {
    // due longest first (a stable sort: PROBES order otherwise), so probes a budget left out go first next time
    const dueSince = (p: Probe<unknown>) => memory.get(p.name)?.nextDueAtMs ?? 0;
    for (const probe of [...independent].sort((a, b) => dueSince(a) - dueSince(b))) await run(probe);
  }
  for (const probe of dependent) await run(probe);

  if (silentProbe) {
    try {
      await ctx.rpc.coreUptime();
    } catch (error) {
      if (notKamailio(error)) throw new NodeDownError(error);
    }
  }

  for (const probe of PROBES) {
    if (fresh.has(probe.name)) continue;
    const shown = shownResult(next.get(probe.name));
    if (shown !== null) values.set(probe.name, shown);
  }
  const statuses = [CORE_PROBE, ...PROBES.map((p) => p.name)].flatMap((name) => {
    const m = next.get(name);
    return m ? [toProbeStatus(name, m)] : [];
  });
  return { core, values, fresh, memory: next, statuses, transitions, retries: counter.retries, skipped };
}
