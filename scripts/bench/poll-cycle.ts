// npm run bench [-- --clients 1000 --cycles 40 --no-register --wss --state-dir DIR --heavy-every-cycle]
//   (or: -- --parsers, or: -- --history, or: -- --connections-page)
// With N WebSocket clients open on the running lab, compares per cycle the raw Kamailio RPC time (transport only,
// no parsing) with a full poll cycle (probes + parsing + checks + snapshot + Sample write to a real PostgreSQL temp
// database + live snapshot), side by side, and prints medians and the overhead ratios against two baselines:
// "before" = the calls a cycle made before heavy lists got their own cadence (the 1.46×/1.75× figures), and
// "now" = the cheap calls a cycle makes every time. The full cycle runs on a simulated clock that advances one
// 2 s interval per cycle, so the heavy lists (ul.dump, dlg.list, every 30 s) are fetched every 15th cycle, as live.
import { parseArgs } from "node:util";
import { createKamailioClient } from "@/lib/kamailio/client";
import { isKamailioRpcError } from "@/lib/kamailio/errors";
import { writeEvent } from "@/lib/metrics/writeEvent";
import { writeSample } from "@/lib/metrics/writeSample";
import { type CollectMode, collectCycle } from "@/lib/poller/collect";
import { readPollerConfig, STARTUP_GRACE_MS, UNAVAILABLE_RECHECK_MS } from "@/lib/poller/config";
import { publish, putNodeSnapshot } from "@/lib/poller/live";
import { newNodePollState, pollNodeOnce } from "@/lib/poller/poll-node";
import { STATS_GROUPS } from "@/lib/poller/probes/stats";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { createRtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { openTempPostgres } from "../../tests/support/temp-postgres";
import { readLabConfig } from "../lab/lab";
import { createBenchUsers, removeBenchUsers } from "./bench-users";
import { formatTable, median, percentile } from "./stats";
import { openClients } from "./ws-clients";

// npm run bench -- --parsers: parser timings on synthetic replies, no lab needed (scripts/bench/parsers.ts).
if (process.argv.includes("--parsers")) {
  (await import("./parsers")).runParserBench(process.argv.slice(2));
  process.exit(0);
}
// npm run bench -- --connections-page: the connections page with 2,000 registered WSS clients, against the running
// app (scripts/bench/connections-page.ts; needs the lab).
if (process.argv.includes("--connections-page")) {
  await (await import("./connections-page")).runConnectionsPageBench(process.argv.slice(2));
  process.exit(0);
}
// npm run bench -- --subscriber-import: the subscriber CSV import rate (scripts/bench/subscriber-import.ts; lab DB).
if (process.argv.includes("--subscriber-import")) {
  await (await import("./subscriber-import")).runSubscriberImportBench(process.argv.slice(2));
  process.exit(0);
}
// npm run bench -- --history: chart queries on 30 days of rollups, no lab needed (scripts/bench/history.ts).
if (process.argv.includes("--history")) {
  await (await import("./history")).runHistoryBench(process.argv.slice(2));
  process.exit(0);
}

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "1000" },
    cycles: { type: "string", default: "40" },
    "no-register": { type: "boolean", default: false },
    wss: { type: "boolean", default: false },
    "state-dir": { type: "string" },
    "heavy-every-cycle": { type: "boolean", default: false },
  },
});
const clientCount = Number(args.clients);
const cycles = Number(args.cycles);
const log = (line: string) => console.log(line);

const INTERVAL_MS = 2000;
/** What a cycle called before the heavy lists got their own cadence (baseline of the 1.46× / 1.75× figures). */
const RAW_CALLS_BEFORE: [string, string[]][] = [
  ["core.tcp_list", []],
  ["ws.dump", []],
  ["ul.dump", []],
  ["dlg.list", []],
  ["rtpengine.show", ["all"]],
  ["stats.fetch", STATS_GROUPS.map((g) => `${g}:`)],
  ["cnt.grp_get_all", ["bridge"]],
];
/** The calls every cycle makes now (the heavy lists come on their own cadence; the NG ping is not RPC). */
const RAW_CALLS_NOW: [string, string[]][] = [
  ["core.uptime", []],
  ["core.tcp_list", []],
  ["ws.dump", []],
  ["stats.fetch", ["usrloc:"]],
  ["dlg.stats_active", []],
  ["rtpengine.show", ["all"]],
  ["stats.fetch", STATS_GROUPS.map((g) => `${g}:`)],
  ["cnt.grp_get_all", ["bridge"]],
];

type Timings = {
  raw: number[];
  rawNow: number[];
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
  // one subscriber per client: a REGISTER's 200 OK lists every contact of the AOR (see gateway/modules.cfg)
  const users = args["no-register"] ? lab.users : await createBenchUsers(lab.db, lab.domain, clientCount);
  const cleanUp = async () => {
    if (!args["no-register"]) await removeBenchUsers(lab.db, lab.domain, users);
    await database.drop();
  };
  const opening = { count: clientCount, register: !args["no-register"], secure: args.wss, log };
  const pool = await openClients({ ...lab, users }, opening).catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  // the same single retry on a network error as the probes (see lib/poller/collect.ts)
  const rawCall = (method: string, params: string[]) =>
    rpc.call(method, params).catch((err: unknown) => {
      if (isKamailioRpcError(err) && err.kind === "network") return rpc.call(method, params);
      throw err;
    });
  let lastSnapshot: NodeSnapshot | null = null;
  const ngClients = new Map<string, ReturnType<typeof createRtpengineNgClient>>();
  const ng = (address: string) => {
    const client = ngClients.get(address) ?? createRtpengineNgClient({ address, timeoutMs: 1000 });
    ngClients.set(address, client);
    return client;
  };
  const results = new Map<CollectMode, Timings>();
  try {
    const node = await database.prisma.kamailioNode.create({
      data: { name: "bench", rpcUrl: lab.rpc, source: "cli" },
    });
    const target = { id: node.id, name: node.name, rpcUrl: node.rpcUrl };
    const config = readPollerConfig({ KAMDASH_POLL_INTERVAL_MS: String(INTERVAL_MS) });
    const timing = {
      heavyIntervalMs: args["heavy-every-cycle"] ? INTERVAL_MS : config.heavyIntervalMs,
      backoffMaxMs: config.probeBackoffMaxMs,
      staleMaxMs: config.staleMaxMs,
      startupGraceMs: STARTUP_GRACE_MS,
      unavailableRecheckMs: UNAVAILABLE_RECHECK_MS,
    };
    for (const mode of ["parallel", "sequential"] as const) {
      const timings: Timings = {
        raw: [],
        rawNow: [],
        full: [],
        probes: [],
        write: [],
        rawFailures: 0,
        fullFailures: 0,
        retries: 0,
      };
      const state = newNodePollState();
      let simulatedMs = Date.now();
      const rawSet = async (calls: [string, string[]][], into: number[]) => {
        const started = performance.now();
        try {
          if (mode === "parallel") await Promise.all(calls.map(([m, p]) => rawCall(m, p)));
          else for (const [m, p] of calls) await rawCall(m, p);
        } catch (err) {
          timings.rawFailures += 1;
          log(`  raw cycle failed: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
        into.push(performance.now() - started);
      };
      const raw = async () => {
        await rawSet(RAW_CALLS_BEFORE, timings.raw);
        await rawSet(RAW_CALLS_NOW, timings.rawNow);
      };
      const full = async () => {
        let writeMs = 0;
        const started = performance.now();
        simulatedMs += INTERVAL_MS;
        const snapshot = await pollNodeOnce(target, state, {
          intervalMs: INTERVAL_MS,
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
              { ...cycle, intervalMs: INTERVAL_MS, timing, mode },
            ),
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
    for (const client of ngClients.values()) await client.close();
    await pool.close();
    await cleanUp();
  }

  const snap = lastSnapshot as NodeSnapshot | null;
  log("");
  log(
    `lab as seen by the last cycle: ws=${snap?.ws} wss=${snap?.wss} registrations=${snap?.registrations} ` +
      `dialogs=${snap?.dialogsActive} rtpengine=${snap?.rtpengineUp}/${snap?.rtpengineTotal}`,
  );
  log(
    `${cycles} cycles per mode; raw "before" = ${RAW_CALLS_BEFORE.length} RPC calls, raw "now" = ${RAW_CALLS_NOW.length}; ` +
      `heavy lists every ${timing_label()}; times in ms`,
  );
  log("");
  const fmt = (n: number) => n.toFixed(1);
  const rows: string[][] = [
    [
      "mode",
      "raw before p50",
      "raw now p50",
      "full cycle p50",
      "full p95",
      "probes+parse p50",
      "DB write p50",
      "full / raw before",
      "full / raw now",
      "failed raw/full",
      "retries",
    ],
  ];
  for (const [mode, t] of results) {
    rows.push([
      mode,
      fmt(median(t.raw)),
      fmt(median(t.rawNow)),
      fmt(median(t.full)),
      fmt(percentile(t.full, 95)),
      fmt(median(t.probes)),
      fmt(median(t.write)),
      `${(median(t.full) / median(t.raw)).toFixed(2)}x`,
      `${(median(t.full) / median(t.rawNow)).toFixed(2)}x`,
      `${t.rawFailures}/${t.fullFailures}`,
      String(t.retries),
    ]);
  }
  log(formatTable(rows));
  log("");
  log(
    "full / raw = full cycle p50 / raw RPC p50 (raw = the calls through the transport, without parsing or storing); " +
      "full cycles include the heavy lists on their cadence, amortised by the median",
  );
}

function timing_label(): string {
  return args["heavy-every-cycle"] ? "cycle" : "30 s (simulated clock)";
}

main().catch((error: unknown) => {
  console.error("bench failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
