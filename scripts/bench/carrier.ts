// npm run bench -- --carrier [--clients 10000 --wss-share 0.2 --dialogs 1000 --cycles 45 --concurrency 100
//   --no-write --state-dir DIR]
// Issue #10 (a): a node holding a carrier's load in the lab — `--clients` WS/WSS connections, each REGISTERed as its
// own subscriber (bench-ws-00001…, created for the run and deleted after), plus `--dialogs` confirmed SIPp calls —
// then the raw RPC time of a poll cycle's calls against the full poll cycle (cycle-timer.ts), as a ratio (target ≤
// 1.25). Prints and records the gateway's own view before and after (core.tcp_info, core.shmmem, usrloc/websocket
// statistics, the open-files limit of the Kamailio process, new error lines in its log). Needs the lab (lab:up);
// run it under the lab lock: `flock /tmp/kamdash-lab.lock npm run bench -- --carrier`.
import { parseArgs } from "node:util";
import { createKamailioClient } from "@/lib/kamailio/client";
import { openTempPostgres } from "../../tests/support/temp-postgres";
import { readLabConfig } from "../lab/lab";
import { createBenchUsers, removeBenchUsers } from "./bench-users";
import { describeGenerated, type GeneratedClients, generateClients } from "./client-generator";
import { cycleRatio, timeCycles } from "./cycle-timer";
import { describeGatewayStats, logErrorsSince, logMark, readGatewayStats } from "./gateway-stats";
import { machineLine, markdownTable, sectionPreamble, verdict, writeSection } from "./results-file";
import { openSippDialogs, type SippDialogs } from "./sipp-dialogs";
import { median, percentile } from "./stats";

const TARGET_RATIO = 1.25;
const INTERVAL_MS = 2000;
const log = (line: string) => console.log(line);

export async function runCarrierBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      carrier: { type: "boolean", default: false },
      all: { type: "boolean", default: false },
      clients: { type: "string", default: "10000" },
      "wss-share": { type: "string", default: "0.2" },
      dialogs: { type: "string", default: "1000" },
      cycles: { type: "string", default: "45" },
      concurrency: { type: "string", default: "100" },
      "no-write": { type: "boolean", default: false },
      "state-dir": { type: "string" },
    },
    strict: false,
  });
  const count = Number(values.clients);
  const dialogs = Number(values.dialogs);
  const cycles = Number(values.cycles);
  const stateDir = typeof values["state-dir"] === "string" ? values["state-dir"] : undefined;
  const machine = machineLine();
  const lab = await readLabConfig(stateDir);
  const rpc = createKamailioClient({ url: lab.rpc, timeoutMs: 10_000, maxReplyBytes: 64 << 20 });
  await rpc.coreVersion();
  const before = await readGatewayStats(rpc, stateDir);
  log(`gateway before:\n  ${describeGatewayStats(before).join("\n  ")}`);
  const mark = await logMark(stateDir);

  const users = await createBenchUsers(lab.db, lab.domain, count + (dialogs > 0 ? 2 : 0));
  log(`created ${users.length} bench subscribers`);
  let clients: GeneratedClients | null = null;
  let calls: SippDialogs | null = null;
  let confirmed = 0;
  const database = await openTempPostgres("bench_carrier", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
  try {
    if (dialogs > 0) {
      const [caller, callee] = users.slice(count);
      if (!caller || !callee) throw new Error("no dialog users");
      log(`placing ${dialogs} SIPp calls…`);
      calls = await openSippDialogs(lab, caller, callee, {
        count: dialogs,
        rate: 50,
        holdMs: 3_600_000,
        log,
      });
    }
    log(`opening ${count} clients (${values["wss-share"]} WSS), concurrency ${values.concurrency}…`);
    clients = await generateClients(lab, {
      count,
      wssShare: Number(values["wss-share"]),
      register: true,
      users: users.slice(0, count),
      concurrency: Number(values.concurrency),
      log,
    });
    log(describeGenerated(clients));
    if (calls) confirmed = await calls.confirmed();
    const loaded = await readGatewayStats(rpc, stateDir);
    log(`gateway loaded:\n  ${describeGatewayStats(loaded).join("\n  ")}`);
    log(`timing ${cycles} cycles…`);
    const t = await timeCycles(rpc, lab.rpc, database, { cycles, intervalMs: INTERVAL_MS });
    const r = cycleRatio(t);
    const errors = await logErrorsSince(mark, stateDir);
    const snap = t.last;
    const seen =
      `ws ${snap?.ws ?? "?"}, wss ${snap?.wss ?? "?"}, registrations ${snap?.registrations ?? "?"}, ` +
      `dialogs ${snap?.dialogsActive ?? "?"}`;
    const f = (n: number) => `${n.toFixed(1)} ms`;
    const lines = [
      ...sectionPreamble("(a) Carrier node: raw RPC vs full poll cycle", argv, machine),
      `Load: ${describeGenerated(clients)}; ${confirmed} confirmed SIPp dialogs (UDP, RTPEngine). The last poll ` +
        `cycle saw ${seen}.`,
      "",
      `Lab: Kamailio ${lab.rpc} (state ${stateDir ?? ".lab"}; gateway/*.cfg of the tree; -m ${before.shm.total >> 20} MB), ` +
        `RTPEngine ${lab.rtpengine.ng}.`,
      "",
      ...markdownTable([
        ["measure", "value"],
        [
          "raw RPC, every-cycle calls (8, sequential) p50 / p95",
          `${f(median(t.raw))} / ${f(percentile(t.raw, 95))}`,
        ],
        ["raw RPC, heavy lists (ul.dump + dlg.list) p50", f(median(t.rawHeavy))],
        [
          "full poll cycle p50 / p95 (probes, parse, checks, Sample write)",
          `${f(median(t.full))} / ${f(percentile(t.full, 95))}`,
        ],
        ["Sample write p50", f(median(t.write))],
        [`raw per cycle, heavy lists amortised (1 in ${t.heavyEvery})`, f(r.rawMs)],
        ["full per cycle (mean)", f(r.fullMs)],
        [
          `**full / raw** (target ≤ ${TARGET_RATIO})`,
          `**${r.ratio.toFixed(2)}** — ${verdict(r.ratio, TARGET_RATIO)}`,
        ],
        ["failed cycles", String(t.failures.length)],
      ]),
      ...[...new Set(t.failures)].slice(0, 4).map((f) => `- failure: ${f.slice(0, 200)}`),
      "",
      "Gateway before → loaded (core.tcp_info, core.shmmem, statistics, /proc/<pid>/limits):",
      "",
      ...describeGatewayStats(before).map((l) => `- before: ${l}`),
      ...describeGatewayStats(loaded).map((l) => `- loaded: ${l}`),
      `- Kamailio log lines (WARNING/ERROR/CRITICAL) during the run: ${errors.length === 0 ? "none" : ""}`,
      ...errors.slice(0, 8).map(([line, n]) => `  - ${n}× \`${line.replace(/`/g, "'")}\``),
      "",
      `${cycles} cycles at a simulated ${INTERVAL_MS / 1000} s interval; full cycles include the heavy lists on ` +
        "their 30 s cadence. Means compare like with like (raw = the same calls through the same transport, no " +
        "parsing, no DB). What limits the ratio: parsing core.tcp_list / ws.dump of every connection each cycle " +
        "and the Sample write (PostgreSQL on the same 2 cores as Kamailio and the clients).",
    ];
    for (const line of lines.slice(5)) log(line);
    if (!values["no-write"]) await writeSection("carrier", lines);
  } finally {
    log("closing clients, ending dialogs, removing bench users…");
    await clients?.close();
    await calls?.stop();
    await removeBenchUsers(lab.db, lab.domain, users).catch((e: unknown) =>
      log(`remove users: ${String(e)}`),
    );
    await database.drop();
  }
}
