// npm run bench -- --store [--nodes 20 --seconds 30 --no-write]
// Issue #10 (b): how many samples per second the store sustains. A real poll cycle against the replay Kamailio
// (captured lab replies, tests/support/replay-kamailio.ts) gives a realistic snapshot (all columns, branch
// directions); then `--nodes` writers, one per node as the poller has, each call writeSample (lib/metrics, what the
// poller's persist calls) back to back for `--seconds`, with `at` = now, into a private PostgreSQL database on
// 127.0.0.1:5432 (tests/support/temp-postgres.ts, migrated, dropped after). Reports samples/s and write latency, and
// how many nodes that is at the default 2 s interval. No lab needed.
import { parseArgs } from "node:util";
import { createKamailioClient } from "@/lib/kamailio/client";
import { writeSample } from "@/lib/metrics/writeSample";
import { collectCycle } from "@/lib/poller/collect";
import { STARTUP_GRACE_MS, UNAVAILABLE_RECHECK_MS } from "@/lib/poller/config";
import { newNodePollState, pollNodeOnce } from "@/lib/poller/poll-node";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { startReplayKamailio } from "../../tests/support/replay-kamailio";
import { openTempPostgres } from "../../tests/support/temp-postgres";
import { LAB_ROUTES } from "./replay-fleet";
import { machineLine, markdownTable, sectionPreamble, writeSection } from "./results-file";
import { median, percentile } from "./stats";

const log = (line: string) => console.log(line);

/** Two real poll cycles (the second has counter rates) against the replay server; returns the second snapshot. */
async function realisticSnapshot(): Promise<NodeSnapshot> {
  const server = await startReplayKamailio(LAB_ROUTES);
  try {
    const rpc = createKamailioClient({ url: server.url, timeoutMs: 1500 });
    const state = newNodePollState();
    const timing = {
      heavyIntervalMs: 30_000,
      backoffMaxMs: 60_000,
      staleMaxMs: 300_000,
      startupGraceMs: STARTUP_GRACE_MS,
      unavailableRecheckMs: UNAVAILABLE_RECHECK_MS,
    };
    let nowMs = Date.now();
    let snapshot: NodeSnapshot | null = null;
    for (let i = 0; i < 2; i++) {
      nowMs += 2000;
      snapshot = await pollNodeOnce({ id: 1, name: "replay", rpcUrl: server.url }, state, {
        intervalMs: 2000,
        now: () => new Date(nowMs),
        collect: (memory, cycle) =>
          collectCycle({ rpc, branchCounterGroup: "bridge" }, memory, { ...cycle, intervalMs: 2000, timing }),
        publish: () => undefined,
        persist: async () => undefined,
        recordEvent: async () => undefined,
      });
    }
    if (!snapshot?.up) throw new Error(`replay poll failed: ${snapshot?.error}`);
    return snapshot;
  } finally {
    await server.close();
  }
}

export async function runStoreBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      nodes: { type: "string", default: "20" },
      seconds: { type: "string", default: "30" },
      "no-write": { type: "boolean", default: false },
    },
    strict: false,
  });
  const nodes = Math.max(1, Number(values.nodes) || 20);
  const seconds = Math.max(5, Number(values.seconds) || 30);
  const machine = machineLine();
  const snapshot = await realisticSnapshot();
  const database = await openTempPostgres("bench_store", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
  log(`database ${database.name} (temporary); ${nodes} writers for ${seconds} s`);
  const latencies: number[] = [];
  let failures = 0;
  let written = 0;
  let elapsedS = 0;
  try {
    const ids: number[] = [];
    for (let i = 0; i < nodes; i++) {
      const node = await database.prisma.kamailioNode.create({
        data: { name: `store-${i + 1}`, rpcUrl: `http://127.0.0.${i + 2}:5080/RPC`, source: "cli" },
      });
      ids.push(node.id);
    }
    // warm-up: pool connections, prepared statements, the current partition
    for (const id of ids)
      await writeSample(database.prisma, id, { ...snapshot, polledAt: new Date().toISOString() });
    const started = performance.now();
    const endAt = started + seconds * 1000;
    await Promise.all(
      ids.map(async (id) => {
        while (performance.now() < endAt) {
          const t = performance.now();
          try {
            await writeSample(database.prisma, id, { ...snapshot, polledAt: new Date().toISOString() });
            latencies.push(performance.now() - t);
            written += 1;
          } catch (error) {
            failures += 1;
            if (failures === 1)
              log(`write failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }),
    );
    elapsedS = (performance.now() - started) / 1000;
    const rows = await database.prisma.sample.count();
    if (rows < written) throw new Error(`only ${rows} sample rows for ${written} writes`);
  } finally {
    await database.drop();
  }
  const rate = written / elapsedS;
  const branches = snapshot.branches?.length ?? 0;
  const f = (n: number) => `${n.toFixed(1)} ms`;
  const lines = [
    ...sectionPreamble("(b) Store: samples per second", argv, machine),
    ...markdownTable([
      ["measure", "value"],
      ["samples written (1 Sample row + branch rows each)", `${written} in ${elapsedS.toFixed(1)} s`],
      ["**samples per second sustained**", `**${rate.toFixed(0)}/s**`],
      ["branch rows per sample", String(branches)],
      [
        "write latency p50 / p95 / max",
        `${f(median(latencies))} / ${f(percentile(latencies, 95))} / ${f(percentile(latencies, 100))}`,
      ],
      ["failed writes", String(failures)],
      [
        "nodes one replica can store at a 2 s / 1 s interval",
        `${Math.floor(rate * 2)} / ${Math.floor(rate)}`,
      ],
    ]),
    "",
    `${nodes} concurrent writers (one per node, as the poller writes), each back to back through writeSample ` +
      "(Prisma, the pg adapter's pool) into a private database on the shared PostgreSQL 15 (127.0.0.1:5432), " +
      "with the tables as the migrations in the tree define them. What limits it: one transaction per sample " +
      "(Sample + BranchSample rows), the round trips through the pool, and the 2 cores shared with PostgreSQL.",
  ];
  for (const line of lines.slice(5)) log(line);
  if (!values["no-write"]) await writeSection("store", lines);
}
