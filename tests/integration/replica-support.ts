import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { Db } from "@/lib/metrics/db";

// Real kamdash replicas for tests/integration/fault-replica-killed.test.ts: each is its own Node process running
// tests/integration/replica-process.ts (the poller start-up of `next start`, without the web server) on one
// PostgreSQL database, and is stopped or killed by the PID it reported.

export interface ReplicaProcess {
  /** The replica id it polls and writes as (lib/db/replica-id.ts). */
  id: string;
  pid: number;
  child: ChildProcess;
  /** stderr + stdout so far, for failure messages. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

const announceSchema = z.object({ replica: z.string().min(1), pid: z.number().int().positive() });
const entry = path.join(import.meta.dirname, "replica-process.ts");

/** Starts one replica polling every `intervalMs` on `databaseUrl`; resolves once its poller has started. */
export async function startReplica(databaseUrl: string, intervalMs: number): Promise<ReplicaProcess> {
  // node --import tsx: one process (no tsx wrapper), so the PID we kill is the poller's own
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: path.resolve(import.meta.dirname, "..", ".."),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAMDASH_POLL_INTERVAL_MS: String(intervalMs),
      KAMDASH_POLLER: "on",
      KAMDASH_CANARY: "off",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = once(child, "exit").then(() => undefined);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const announced = new Promise<z.infer<typeof announceSchema>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start within 60 s:\n${log}`)), 60_000);
    lines.on("line", (line) => {
      log += `${line}\n`;
      const parsed = announceSchema.safeParse(JSON.parse(line.startsWith("{") ? line : "null"));
      if (parsed.success) {
        clearTimeout(timer);
        resolve(parsed.data);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`replica exited at start (${child.exitCode ?? child.signalCode}):\n${log}`));
    });
  });
  const { replica, pid } = await announced;
  if (pid !== child.pid) throw new Error(`replica reported PID ${pid}, spawned ${child.pid}`);
  return { id: replica, pid, child, output: () => log, exited };
}

/** Sends `signal` to the replica's recorded PID and waits for it to exit (no-op when it already has). */
export async function signalReplica(replica: ReplicaProcess, signal: NodeJS.Signals): Promise<void> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  process.kill(replica.pid, signal);
  await replica.exited;
}

export type SampleRow = { nodeId: number; at: Date; durationMs: number; writtenBy: string | null };

/** Every sample of the database, by node and time: who wrote it (sample.written_by) and the cycle's duration. */
export async function allSamples(db: Db): Promise<SampleRow[]> {
  return db.sample.findMany({
    select: { nodeId: true, at: true, durationMs: true, writtenBy: true },
    orderBy: [{ nodeId: "asc" }, { at: "asc" }],
  });
}

/** When a sample's cycle started, ms since the epoch (the sample's `at` is when it finished). */
export const cycleStart = (s: SampleRow) => s.at.getTime() - s.durationMs;

/** For one node's samples in time order: the writers in the order they took over ([A], [A, B], …). */
export function writerRuns(samples: readonly SampleRow[]): (string | null)[] {
  const runs: (string | null)[] = [];
  for (const s of samples) if (runs.at(-1) !== s.writtenBy) runs.push(s.writtenBy);
  return runs;
}

/** Consecutive samples of one node whose cycles overlap in time (`[start, at]`), as readable pairs. */
export function overlappingCycles(samples: readonly SampleRow[]): string[] {
  const found: string[] = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1];
    const after = samples[i];
    if (before && after && cycleStart(after) < before.at.getTime()) {
      found.push(
        `${before.at.toISOString()} (${before.writtenBy}) / ${after.at.toISOString()} (${after.writtenBy})`,
      );
    }
  }
  return found;
}

/**
 * For one node's samples in time order, the writer changes that came too soon: a replica takes a node only once
 * the previous owner's lease has run out, at least `leaseMs` after that owner's last renewal, which came after its
 * last sample. So the new writer's first cycle starts at least `leaseMs` after the previous writer's last sample;
 * two replicas polling at once would change writer within an interval. `toleranceMs` covers timer and clock
 * rounding (one machine: the database's clock is the replicas' clock).
 */
export function handoffsTooSoon(samples: readonly SampleRow[], leaseMs: number, toleranceMs = 50): string[] {
  const found: string[] = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1];
    const after = samples[i];
    if (!before || !after || before.writtenBy === after.writtenBy) continue;
    const gap = cycleStart(after) - before.at.getTime();
    if (gap < leaseMs - toleranceMs) {
      found.push(`${before.writtenBy} → ${after.writtenBy} after ${gap} ms (${after.at.toISOString()})`);
    }
  }
  return found;
}
