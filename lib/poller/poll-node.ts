import type { HandshakeAttempt } from "@/lib/handshake/ws-handshake";
import { observeHandshakeAttempt } from "@/lib/prometheus/handshake-histogram";
import { cycleEstimate, estimateFailure, newEstimateWindows } from "./branch-estimate";
import { BranchWindows } from "./branch-windows";
import type { CycleResults } from "./collect";
import { HandshakeWindows } from "./handshake-windows";
import { measure } from "./measure";
import type { ProbeMemory, ProbeTransition } from "./probe-state";
import type { RtpengineInstance } from "./probes/rtpengine";
import type { KamailioInfo } from "./readings";
import { type RtpengineMemory, rtpengineEvents } from "./rtpengine-events";
import {
  buildDownNodeSnapshot,
  buildUpNodeSnapshot,
  type MeasuredNumbers,
  type NodeSnapshot,
} from "./snapshot";
import type { SocketsVsRegistrations } from "./sockets-registrations";

export type NodeTarget = { id: number; name: string; rpcUrl: string };

/** Probe values read fresh in one up cycle (by probe name), when, and whether Kamailio restarted since the last. */
export type FreshLists = { values: ReadonlyMap<string, unknown>; at: string; restarted: boolean };

/** What kamdash knows of Kamailio itself between cycles. */
export type KamailioMemory = {
  /** core.uptime `uptime` (s) at the last answer, and the start time it implies (epoch ms). */
  uptimeS: number;
  bootAtMs: number;
  version: string | null;
  versionText: string | null;
  restartedAt: string | null;
};

/** What a node's schedule remembers between cycles. */
export type NodePollState = {
  /** Whether the last known sample was up; null when the node has no history. */
  knownUp: boolean | null;
  lastUpAt: string | null;
  lastUp: MeasuredNumbers | null;
  /** Each probe's state, back-off and last good result. */
  probes: Map<string, ProbeMemory>;
  /** Last accepted counter values since the last restart (for wrap and go-back checks). */
  counters: Map<string, number>;
  kamailio: KamailioMemory | null;
  /** The last hour of branch counters, for the branch-failure rates. */
  branchWindows: BranchWindows;
  /** The same from reply statistics, for a node without the counters (lib/poller/branch-estimate.ts). */
  branchEstimate: BranchWindows;
  /** The last join of connections and contacts (ul.dump comes on its own cadence). */
  sockets: SocketsVsRegistrations | null;
  /** The last hour of handshake attempts. */
  handshakes: HandshakeWindows;
  /** Each media server's state in the last fresh rtpengine.show; null before one since start or restart. */
  rtpengines: RtpengineMemory | null;
};

export const newNodePollState = (partial: Partial<NodePollState> = {}): NodePollState => ({
  knownUp: null,
  lastUpAt: null,
  lastUp: null,
  probes: new Map(),
  counters: new Map(),
  kamailio: null,
  branchWindows: new BranchWindows(),
  branchEstimate: newEstimateWindows(),
  sockets: null,
  handshakes: new HandshakeWindows(),
  rtpengines: null,
  ...partial,
});

export type NodeEventKind =
  | "node_down"
  | "node_up"
  | "node_restarted"
  | "probe_failing"
  | "probe_recovered"
  | "rtpengine_disabled"
  | "rtpengine_enabled";

export type NodeEvent = {
  kind: NodeEventKind;
  severity: "critical" | "warning" | "info";
  message: string;
  detail: Record<string, string | number | null | undefined>;
};

export type PollNodeDeps = {
  intervalMs: number;
  /** One cycle of probes against the node (collectCycle bound to the node's RPC client and timings). */
  collect: (
    memory: ReadonlyMap<string, ProbeMemory>,
    options: { nowMs: number; needVersion: (uptimeS: number) => boolean },
  ) => Promise<CycleResults>;
  /** Stores the snapshot in the live store and notifies subscribers. */
  publish: (snapshot: NodeSnapshot) => void;
  /** Writes the Sample (+ BranchSample) row, and the handshake attempt the cycle made (null when none). */
  persist: (snapshot: NodeSnapshot, fresh: { handshakeAttempt: HandshakeAttempt | null }) => Promise<void>;
  recordEvent: (event: NodeEvent) => Promise<void>;
  /** The lists (core.tcp_list, ul.dump, dlg.list, ws.dump) read fresh in an up cycle, for the troubleshooting pages. */
  lists?: (seen: FreshLists) => Promise<void>;
  now?: () => Date;
  clock?: () => number;
};

export class PollPersistError extends Error {
  constructor(node: string, causes: unknown[]) {
    const reasons = causes.map((c) => (c instanceof Error ? c.message : String(c))).join("; ");
    super(`${node}: storing the poll result failed: ${reasons}`, { cause: causes[0] });
    this.name = "PollPersistError";
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** core.uptime is whole seconds and the call takes time: a start time that moves less than this is the same start. */
export const RESTART_TOLERANCE_MS = 10_000;

/** A drop in uptime, or a start time that moved forward: Kamailio restarted between the two answers. */
export function isRestart(previous: KamailioMemory | null, uptimeS: number, nowMs: number): boolean {
  if (!previous) return false;
  if (uptimeS < previous.uptimeS) return true;
  return nowMs - uptimeS * 1000 - previous.bootAtMs > RESTART_TOLERANCE_MS;
}

const toInfo = (k: KamailioMemory | null): KamailioInfo | null =>
  k && { version: k.version, versionText: k.versionText, uptimeS: k.uptimeS, restartedAt: k.restartedAt };

/**
 * One poll cycle of one node: probes → checked numbers → snapshot → live store → Sample row → events. The node is
 * down only when its liveness call gets no answer (null numbers, never zeros; last up values kept). A failing
 * probe changes only its own numbers and fires probe_failing / probe_recovered once per transition. A drop in
 * core.uptime fires node_restarted, forgets the counters (no negative delta across it) and re-reads the version.
 * A media server changing state between two fresh rtpengine.show readings fires rtpengine_disabled / _enabled.
 * Updates `state` in place and returns the snapshot. Storage failures are thrown after the live update.
 */
export async function pollNodeOnce(
  target: NodeTarget,
  state: NodePollState,
  deps: PollNodeDeps,
  signal?: AbortSignal,
): Promise<NodeSnapshot> {
  const now = deps.now ?? (() => new Date());
  const clock = deps.clock ?? (() => performance.now());
  const identity = { name: target.name, rpcUrl: target.rpcUrl, intervalMs: deps.intervalMs };
  const started = clock();
  const startedAt = now().getTime();
  const needVersion = (uptimeS: number) =>
    !state.kamailio?.versionText || isRestart(state.kamailio, uptimeS, startedAt);
  const events: NodeEvent[] = [];
  let snapshot: NodeSnapshot;
  let handshakeAttempt: HandshakeAttempt | null = null;
  let lists: FreshLists | null = null;
  try {
    const results = await abortable(deps.collect(state.probes, { nowMs: startedAt, needVersion }), signal);
    const timing = { polledAt: now(), durationMs: Math.round(clock() - started) };
    if (results.core) {
      const restarted = isRestart(state.kamailio, results.core.uptimeS, startedAt);
      if (restarted) {
        state.counters.clear();
        state.rtpengines = null; // a restart resets what was disabled: no event for it
        events.push(restartEvent(target, state.kamailio, results));
      }
      state.kamailio = {
        uptimeS: results.core.uptimeS,
        bootAtMs: startedAt - results.core.uptimeS * 1000,
        version: results.core.version?.version ?? state.kamailio?.version ?? null,
        versionText: results.core.version?.raw ?? state.kamailio?.versionText ?? null,
        restartedAt: restarted ? timing.polledAt.toISOString() : (state.kamailio?.restartedAt ?? null),
      };
    }
    state.probes = results.memory;
    events.push(...results.transitions.map((t) => probeEvent(target, t)));
    if (results.fresh.has("rtpengine")) {
      const reading = results.values.get("rtpengine") as RtpengineInstance[];
      const seen = rtpengineEvents(target, state.rtpengines, reading);
      state.rtpengines = seen.memory;
      events.push(...seen.events);
    }
    const measurement = measure(results, state.counters);
    const restartedNow = state.kamailio?.restartedAt === timing.polledAt.toISOString();
    const freshValues = [...results.values].filter(([name]) => results.fresh.has(name));
    lists = { values: new Map(freshValues), at: timing.polledAt.toISOString(), restarted: restartedNow };
    state.branchWindows.add(startedAt, restartedNow, measurement.branches);
    const branchesUnavailable = results.memory.get("branches")?.state === "unavailable";
    state.branchEstimate.add(startedAt, restartedNow, cycleEstimate(results));
    measurement.branchFailure = branchesUnavailable
      ? estimateFailure(results, state.branchEstimate, startedAt) // no bridge counters: the estimate, labelled
      : state.branchWindows.failure(startedAt);
    const contactsState = results.memory.get("contacts")?.state;
    if (measurement.socketsVsRegistrations) state.sockets = measurement.socketsVsRegistrations;
    else if (contactsState !== "ok" && contactsState !== "stale") state.sockets = null;
    measurement.socketsVsRegistrations = state.sockets;
    const attempt = results.fresh.has("handshake")
      ? (results.values.get("handshake") as HandshakeAttempt)
      : null;
    if (attempt) {
      handshakeAttempt = attempt;
      state.handshakes.add(attempt);
      observeHandshakeAttempt(target.name, attempt); // Prometheus histogram: once per attempt, not per scrape
    }
    const handshakeUnavailable = results.memory.get("handshake")?.state === "unavailable";
    measurement.handshake = handshakeUnavailable ? null : state.handshakes.summary(startedAt);
    snapshot = buildUpNodeSnapshot(identity, timing, measurement, toInfo(state.kamailio));
  } catch (err) {
    const timing = { polledAt: now(), durationMs: Math.round(clock() - started) };
    state.branchWindows.add(startedAt, false, null); // a gap: no delta spans a down spell
    state.branchEstimate.add(startedAt, false, null);
    snapshot = buildDownNodeSnapshot(identity, timing, errorText(err), state, toInfo(state.kamailio));
  }

  const transition = transitionEvent(target, state, snapshot);
  if (transition) events.unshift(transition);
  state.knownUp = snapshot.up;
  state.lastUpAt = snapshot.lastUpAt;
  state.lastUp = snapshot.lastUp;
  deps.publish(snapshot);

  const failures: unknown[] = [];
  if (lists && deps.lists) await deps.lists(lists).catch((err: unknown) => failures.push(err));
  await deps.persist(snapshot, { handshakeAttempt }).catch((err: unknown) => failures.push(err));
  for (const event of events) await deps.recordEvent(event).catch((err: unknown) => failures.push(err));
  if (failures.length > 0) throw new PollPersistError(target.name, failures);
  return snapshot;
}

function restartEvent(target: NodeTarget, before: KamailioMemory | null, results: CycleResults): NodeEvent {
  const after = results.core?.uptimeS ?? null;
  const version = results.core?.version?.version ?? null;
  return {
    kind: "node_restarted",
    severity: "warning",
    message: `${target.name}: Kamailio restarted (uptime ${before?.uptimeS ?? "?"} s → ${after ?? "?"} s)${version ? `, now ${version}` : ""}; counters start again from 0`,
    detail: {
      rpcUrl: target.rpcUrl,
      uptimeBeforeS: before?.uptimeS,
      uptimeAfterS: after,
      versionBefore: before?.version,
      versionAfter: version,
    },
  };
}

function probeEvent(target: NodeTarget, t: ProbeTransition): NodeEvent {
  if (t.kind === "probe_failing") {
    return {
      kind: t.kind,
      severity: "warning",
      message: `${target.name}: ${t.probe} is failing (the node still answers): ${t.reason ?? "unknown error"}`,
      detail: { rpcUrl: target.rpcUrl, probe: t.probe, reason: t.reason },
    };
  }
  return {
    kind: t.kind,
    severity: "info",
    message: `${target.name}: ${t.probe} answers again${t.failedForMs === null ? "" : ` after ${Math.round(t.failedForMs / 1000)} s`}`,
    detail: { rpcUrl: target.rpcUrl, probe: t.probe, lastReason: t.reason, failedForMs: t.failedForMs },
  };
}

/** node_down when a node stops answering (or never answered), node_up when it answers again. */
export function transitionEvent(
  target: NodeTarget,
  state: Pick<NodePollState, "knownUp" | "lastUpAt">,
  snapshot: NodeSnapshot,
): NodeEvent | null {
  if (!snapshot.up && state.knownUp !== false) {
    return {
      kind: "node_down",
      severity: "critical",
      message: `${target.name} is not answering: ${snapshot.error ?? "unknown error"}`,
      detail: { rpcUrl: target.rpcUrl, error: snapshot.error ?? undefined },
    };
  }
  if (snapshot.up && state.knownUp === false) {
    return {
      kind: "node_up",
      severity: "info",
      message: `${target.name} answers again`,
      detail: { rpcUrl: target.rpcUrl, lastUpBefore: state.lastUpAt },
    };
  }
  return null;
}
