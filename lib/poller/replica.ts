import type { Db } from "@/lib/metrics/db";
import { claimLease, heldByOther, leaseMs, leaseWaitMs, releaseLeases, stillHoldsLease } from "./leases";
import type { ScheduledJob } from "./scheduler";
import {
  listenForSnapshots,
  mergeSharedSnapshots,
  type SnapshotListener,
  shareNodeSnapshot,
} from "./shared-snapshots";
import type { NodeSnapshot } from "./snapshot";

// What the poller does differently when it is one of several replicas on one PostgreSQL (lib/poller/start.ts
// creates this only when DATABASE_URL is set; with the embedded PGlite one process owns every node as before).

export type ReplicaOptions = {
  db: Db;
  /** This replica's id (lib/poller/leases.ts replicaId()). */
  id: string;
  intervalMs: number;
  /** The PostgreSQL URL to LISTEN on for other replicas' snapshots; without it, the per-interval merge only. */
  listenUrl?: string;
  onError?: (key: string, err: unknown) => void;
};

export type Replica = {
  id: string;
  /**
   * At the start of a node's cycle: claims or renews its lease; when another replica's lease ends within 3/4 of
   * an interval, waits for that (abortable) and claims then. true: poll the node in this cycle. While the database
   * does not answer, a replica keeps the nodes it held (their samples wait in the write buffer, see guardLate).
   */
  holdNode(nodeId: number, signal: AbortSignal): Promise<boolean>;
  /** Before a cycle's writes: still ours (renewed)? false: write nothing of this cycle. */
  fence(nodeId: number): Promise<boolean>;
  /**
   * Wraps a buffered write of the cycle measured at `polledAt`: when it runs late (the database was away for more
   * than an interval) and another replica holds the node by then, it is dropped: that replica measured the node
   * meanwhile (this one was cut off from the database), and two writers' samples would interleave.
   */
  guardLate(
    nodeId: number,
    polledAt: string,
    write: (db: Db) => Promise<unknown>,
  ): (db: Db) => Promise<unknown>;
  /** After the sample: the snapshot for the other replicas' live views. */
  share(nodeId: number, snapshot: NodeSnapshot): Promise<void>;
  /** One more job for the poller's scheduler: merges the other replicas' snapshots once per interval. */
  mergeJob(): ScheduledJob;
  start(): void;
  /** Stops listening and releases every lease this replica holds (call after the scheduler stopped). */
  stop(): Promise<void>;
};

/** A cycle's write check, asked of the database once (at the first write) and remembered; always true alone. */
export function fenceOnce(replica: Replica | undefined, nodeId: number): () => Promise<boolean> {
  let fence: Promise<boolean> | null = null;
  return () => {
    fence ??= replica ? replica.fence(nodeId) : Promise.resolve(true);
    return fence;
  };
}

/** The job key of the shared-snapshot merge (parenthesised: node names cannot collide with it). */
export const MERGE_JOB_KEY = "(replica snapshots)";

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Rejects when `promise` has not settled within `ms` (the query itself goes on in the background). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function createReplica(options: ReplicaOptions): Replica {
  const { db, id, intervalMs } = options;
  const duration = leaseMs(intervalMs);
  const waitMax = leaseWaitMs(intervalMs);
  const merge = () =>
    mergeSharedSnapshots(db, (node, message) => options.onError?.(node, new Error(message)));
  let listener: SnapshotListener | null = null;
  let mergeFailing = false;
  /** Nodes this replica held at its last answer from the database. */
  const held = new Set<number>();
  const remember = (nodeId: number, holds: boolean) => {
    if (holds) held.add(nodeId);
    else held.delete(nodeId);
    return holds;
  };
  // a database that does not answer at all (packets dropped) must not hold every cycle up for the pool's 10 s
  // connect timeout: after a quarter interval the cycle goes on as in an outage (nodes held stay held)
  const answerMs = Math.max(200, Math.round(intervalMs / 4));
  const claim = (nodeId: number) => within(claimLease(db, nodeId, id, duration), answerMs);

  return {
    id,
    async holdNode(nodeId, signal) {
      try {
        const first = await claim(nodeId);
        if (first.held) return remember(nodeId, true);
        if (first.remainingMs > waitMax) return remember(nodeId, false);
        // the owner's lease ends before our next cycle would come round: be there when it does
        if (!(await sleep(first.remainingMs + 20, signal))) return remember(nodeId, false);
        return remember(nodeId, (await claim(nodeId)).held);
      } catch {
        // the database does not answer: keep polling what we held (the samples wait in the write buffer;
        // guardLate drops them if another replica took the node over meanwhile)
        return held.has(nodeId);
      }
    },
    async fence(nodeId) {
      try {
        return remember(nodeId, await within(stillHoldsLease(db, nodeId, id, duration), answerMs));
      } catch {
        return held.has(nodeId);
      }
    },
    guardLate: (nodeId, polledAt, write) => async (writer) => {
      const late = Date.now() - Date.parse(polledAt) > intervalMs;
      if (late && (await heldByOther(writer, nodeId, id))) return null;
      return write(writer);
    },
    share: (nodeId, snapshot) => shareNodeSnapshot(db, nodeId, id, snapshot),
    mergeJob: () => ({
      key: MERGE_JOB_KEY,
      version: "1",
      run: async () => {
        try {
          await merge();
          mergeFailing = false;
        } catch (err) {
          // once per outage, not every interval (the write buffer reports the outage itself)
          if (!mergeFailing) options.onError?.(MERGE_JOB_KEY, err);
          mergeFailing = true;
        }
      },
    }),
    start() {
      if (!options.listenUrl || listener) return;
      listener = listenForSnapshots({
        url: options.listenUrl,
        self: id,
        onNotify: () => {
          merge().catch((err: unknown) => options.onError?.(MERGE_JOB_KEY, err));
        },
      });
    },
    async stop() {
      await listener?.close();
      listener = null;
      held.clear();
      await releaseLeases(db, id);
    },
  };
}
