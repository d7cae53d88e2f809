// npm run bench [-- --clients 1000 --cycles 40 --no-register --wss --state-dir DIR]
// With N WebSocket clients open on the running lab, compares per cycle the raw Kamailio RPC time (the same calls
// the probes make, transport only) with a full poll cycle (probes + parsing + snapshot + Sample write to a real
// PostgreSQL temp database + live snapshot), side by side, and prints medians and the overhead ratio.
import { parseArgs } from "node:util";
import { createKamailioClient } from "@/lib/kamailio/client";
import { isKamailioRpcError } from "@/lib/kamailio/errors";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeSample } from "@/lib/metrics/writeSample";
import { type CollectMode, collectProbes } from "@/lib/poller/collect";
import { publish, putNodeSnapshot } from "@/lib/poller/live";
import { type NodePollState, pollNodeOnce } from "@/lib/poller/poll-node";
import { STATS_GROUPS } from "@/lib/poller/probes/stats";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { openTempPostgres } from "../../tests/support/temp-postgres";
import { readLabConfig } from "../lab/lab";
import { formatTable, median, percentile } from "./stats";
import { openClients } from "./ws-clients";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "1000" },
    cycles: { type: "string", default: "40" },
    "no-register": { type: "boolean", default: false },
    wss: { type: "boolean", default: false },
    "state-dir": { type: "string" },
  },
});
const clientCount = Number(args.clients);
const cycles = Number(args.cycles);
const log = (line: string) => console.log(line);

const RAW_CALLS: [string, string[]][] = [
  ["core.tcp_list", []],
  ["ws.dump", []],
  ["ul.dump", []],
  ["dlg.list", []],
  ["rtpengine.show", ["all"]],
  ["stats.fetch", STATS_GROUPS.map((g) => `${g}:`)],
  ["cnt.grp_get_all", ["bridge"]],
];

type Timings = {
  raw: number[];
  full: number[];
  probes: number[];
  write: number[];
  rawFailures: number;
  fullFailures: number;
  retries: number;
};

async function main(): Promise<void> {
  const lab = await readLabConfig(args["state-dir"]);
  const rpc = createKamailioClient({ url: lab.rpc, timeoutMs: 5000, maxReplyBytes: 32 << 20 });
  await rpc.coreVersion(); // fails clearly when the lab is not running

  const database = await openTempPostgres("bench", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
  log(`database ${database.name} (temporary), lab RPC ${lab.rpc}`);

  log(
    `opening ${clientCount} ${args.wss ? "WSS" : "WS"} clients${args["no-register"] ? "" : " (registered)"}…`,
  );
  const pool = await openClients(lab, {
    count: clientCount,
    register: !args["no-register"],
    secure: args.wss,
    log,
  });
  // the same single retry on a network error as the probes (see lib/poller/collect.ts)
  const rawCall = (method: string, params: string[]) =>
    rpc.call(method, params).catch((err: unknown) => {
      if (isKamailioRpcError(err) && err.kind === "network") return rpc.call(method, params);
      throw err;
    });
  let lastSnapshot: NodeSnapshot | null = null;
  const results = new Map<CollectMode, Timings>();
  try {
    const node = await database.prisma.kamailioNode.create({
      data: { name: "bench", rpcUrl: lab.rpc, source: "cli" },
    });
    const target = { id: node.id, name: node.name, rpcUrl: node.rpcUrl };
    for (const mode of ["parallel", "sequential"] as const) {
      const timings: Timings = {
        raw: [],
        full: [],
        probes: [],
        write: [],
        rawFailures: 0,
        fullFailures: 0,
        retries: 0,
      };
      const state: NodePollState = { knownUp: null, lastUpAt: null, lastUp: null };
      const raw = async () => {
        const started = performance.now();
        try {
          if (mode === "parallel") await Promise.all(RAW_CALLS.map(([m, p]) => rawCall(m, p)));
          else for (const [m, p] of RAW_CALLS) await rawCall(m, p);
        } catch (err) {
          timings.rawFailures += 1;
          log(`  raw cycle failed: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
        timings.raw.push(performance.now() - started);
      };
      const full = async () => {
        let writeMs = 0;
        const started = performance.now();
        const snapshot = await pollNodeOnce(target, state, {
          intervalMs: 2000,
          collect: () => collectProbes({ rpc }, mode),
          publish: (s) => {
            putNodeSnapshot(s);
            publish();
          },
          persist: async (s) => {
            const t = performance.now();
            await writeSample(database.prisma, target.id, s);
            writeMs = performance.now() - t;
          },
          recordEvent: async (e) => {
            await writeEvent(database.prisma, { nodeId: target.id, ...e });
          },
        });
        const elapsed = performance.now() - started;
        if (!snapshot.up) {
          timings.fullFailures += 1;
          log(`  poll cycle failed: ${snapshot.error}`);
          return;
        }
        lastSnapshot = snapshot;
        timings.retries += snapshot.stats?.["kamdash.rpc_retries"] ?? 0;
        timings.probes.push(snapshot.durationMs);
        timings.write.push(writeMs);
        timings.full.push(elapsed);
      };
      await raw(); // warm-up: connections, JIT
      await full();
      for (let i = 0; i < cycles; i++) {
        // alternate the order so neither side always runs on a warmer Kamailio
        if (i % 2 === 0) {
          await raw();
          await full();
        } else {
          await full();
          await raw();
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      results.set(mode, timings);
    }
  } finally {
    await pool.close();
    await database.drop();
  }

  const snap = lastSnapshot as NodeSnapshot | null;
  log("");
  log(
    `lab as seen by the last cycle: ws=${snap?.ws} wss=${snap?.wss} registrations=${snap?.registrations} ` +
      `dialogs=${snap?.dialogsActive} rtpengine=${snap?.rtpengineUp}/${snap?.rtpengineTotal}`,
  );
  log(`${cycles} cycles per mode, ${RAW_CALLS.length} RPC calls per cycle, times in ms`);
  log("");
  const fmt = (n: number) => n.toFixed(1);
  const rows: string[][] = [
    [
      "mode",
      "raw RPC p50",
      "raw p95",
      "full cycle p50",
      "full p95",
      "probes+parse p50",
      "DB write p50",
      "overhead",
      "failed raw/full",
      "retries",
    ],
  ];
  for (const [mode, t] of results) {
    rows.push([
      mode,
      fmt(median(t.raw)),
      fmt(percentile(t.raw, 95)),
      fmt(median(t.full)),
      fmt(percentile(t.full, 95)),
      fmt(median(t.probes)),
      fmt(median(t.write)),
      `${(median(t.full) / median(t.raw)).toFixed(2)}x`,
      `${t.rawFailures}/${t.fullFailures}`,
      String(t.retries),
    ]);
  }
  log(formatTable(rows));
  log("");
  log(
    "overhead = full cycle p50 / raw RPC p50 (raw = the same calls through the transport, without parsing)",
  );
}

main().catch((error: unknown) => {
  console.error("bench failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
