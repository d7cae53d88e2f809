import type { ProbeResults } from "./collect";
import { measure } from "./measure";
import {
  buildDownNodeSnapshot,
  buildUpNodeSnapshot,
  type MeasuredNumbers,
  type NodeSnapshot,
} from "./snapshot";

export type NodeTarget = { id: number; name: string; rpcUrl: string };

/** What a node's schedule remembers between cycles. */
export type NodePollState = {
  /** Whether the last known sample was up; null when the node has no history. */
  knownUp: boolean | null;
  lastUpAt: string | null;
  lastUp: MeasuredNumbers | null;
};

export type NodeEvent = {
  kind: "node_down" | "node_up";
  severity: "critical" | "info";
  message: string;
  detail: { rpcUrl: string; error?: string; lastUpBefore?: string | null };
};

export type PollNodeDeps = {
  intervalMs: number;
  collect: () => Promise<ProbeResults>;
  /** Stores the snapshot in the live store and notifies subscribers. */
  publish: (snapshot: NodeSnapshot) => void;
  /** Writes the Sample (+ BranchSample) row. */
  persist: (snapshot: NodeSnapshot) => Promise<void>;
  recordEvent: (event: NodeEvent) => Promise<void>;
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

/**
 * One poll cycle of one node: probes → snapshot → live store → Sample row → node_down/node_up event on a
 * change. A node that fails gets up=false with null numbers (never zeros); its last up values are kept. A node
 * whose optional probes are unavailable (collectProbes resolves) is up, with those numbers null.
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
  let snapshot: NodeSnapshot;
  try {
    const results = await abortable(deps.collect(), signal);
    const timing = { polledAt: now(), durationMs: Math.round(clock() - started) };
    snapshot = buildUpNodeSnapshot(identity, timing, measure(results));
  } catch (err) {
    const timing = { polledAt: now(), durationMs: Math.round(clock() - started) };
    snapshot = buildDownNodeSnapshot(identity, timing, errorText(err), state);
  }

  const event = transitionEvent(target, state, snapshot);
  state.knownUp = snapshot.up;
  state.lastUpAt = snapshot.lastUpAt;
  state.lastUp = snapshot.lastUp;
  deps.publish(snapshot);

  const failures: unknown[] = [];
  await deps.persist(snapshot).catch((err: unknown) => failures.push(err));
  if (event) await deps.recordEvent(event).catch((err: unknown) => failures.push(err));
  if (failures.length > 0) throw new PollPersistError(target.name, failures);
  return snapshot;
}

/** node_down when a node stops answering (or never answered), node_up when it answers again. */
export function transitionEvent(
  target: NodeTarget,
  state: NodePollState,
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
