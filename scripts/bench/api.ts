// npm run bench -- --api [--nodes 20 --days 30 --concurrency 20 --seconds 30 --no-write]
// Issue #10 (c): the overview and history API under 20 concurrent clients with 30 days × 20 nodes of history.
// A private PostgreSQL database gets the history generated directly in SQL (history.ts loadHistory: 1-minute and
// 1-hour rollups for 30 days, 2 days of raw 2-second samples for 3 nodes); the built app (`next start`, built first
// when stale) runs on it, polling the 20 nodes edge-1…edge-20 — all one replay Kamailio with captured lab replies
// (replay-fleet.ts) — so the overview is a live fleet of 20 up nodes. `--concurrency` clients, signed in, each GET
// back to back for `--seconds`: /api/v1/overview, and /api/v1/nodes/{node}/series for a random node and metric over
// 30 days, 7 days and 1 hour. p50/p95 per request against the target p95 ≤ 50 ms.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import type { RunningApp } from "../../tests/e2e/support/app-server";
import { openTempPostgres } from "../../tests/support/temp-postgres";
import { waitFor } from "../../tests/support/wait";
import { startBuiltApp } from "./app-start";
import { signIn } from "./dashboard-http";
import { loadHistory } from "./history";
import { startReplayFleet } from "./replay-fleet";
import { machineLine, markdownTable, sectionPreamble, verdict, writeSection } from "./results-file";
import { median, percentile } from "./stats";

const TARGET_P95_MS = 50;
const DAY_MS = 86_400_000;
const METRICS = ["ws", "wss", "registrations", "dialogsActive", "branchFailed", "durationMs"] as const;
const log = (line: string) => console.log(line);
const healthReply = z.object({ nodes: z.array(z.object({ up: z.boolean() })).optional() });

type Kind = { label: string; path: (node: string, metric: string, now: number) => string };
const KINDS: readonly Kind[] = [
  { label: "GET /api/v1/overview (live fleet, 20 nodes)", path: () => "/api/v1/overview" },
  {
    label: "GET /api/v1/nodes/{n}/series, 30 days",
    path: (n, m, now) => seriesPath(n, m, now - 30 * DAY_MS, now),
  },
  {
    label: "GET /api/v1/nodes/{n}/series, 7 days",
    path: (n, m, now) => seriesPath(n, m, now - 7 * DAY_MS, now),
  },
  {
    label: "GET /api/v1/nodes/{n}/series, 1 hour",
    path: (n, m, now) => seriesPath(n, m, now - 3_600_000, now),
  },
];

function seriesPath(node: string, metric: string, from: number, to: number): string {
  const q = new URLSearchParams({
    metric,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  return `/api/v1/nodes/${encodeURIComponent(node)}/series?${q}`;
}

export async function runApiBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      nodes: { type: "string", default: "20" },
      days: { type: "string", default: "30" },
      concurrency: { type: "string", default: "20" },
      seconds: { type: "string", default: "30" },
      "no-write": { type: "boolean", default: false },
    },
    strict: false,
  });
  const nodeCount = Math.max(1, Number(values.nodes) || 20);
  const days = Math.max(1, Number(values.days) || 30);
  const concurrency = Math.max(1, Number(values.concurrency) || 20);
  const seconds = Math.max(5, Number(values.seconds) || 30);
  const machine = machineLine();
  const database = await openTempPostgres("bench_api", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
  const fleet = await startReplayFleet(nodeCount);
  let app: RunningApp | undefined;
  const times = new Map<string, number[]>(KINDS.map((k) => [k.label, []]));
  const single = new Map<string, number[]>(KINDS.map((k) => [k.label, []]));
  const failures = new Map<string, number>();
  let rowsNote = "";
  try {
    log(`loading ${nodeCount} nodes × ${days} days of history into ${database.name}…`);
    const loaded = await loadHistory(database.prisma, { nodeCount, days, rawNodes: 3, rawDays: 2 });
    const [counts] = await database.prisma.$queryRawUnsafe<{ m: bigint; h: bigint; s: bigint }[]>(
      "SELECT (SELECT count(*) FROM rollup_1m) AS m, (SELECT count(*) FROM rollup_1h) AS h, (SELECT count(*) FROM sample) AS s",
    );
    rowsNote = `rollup_1m ${counts?.m}, rollup_1h ${counts?.h}, sample ${counts?.s} rows (generated in ${loaded.generation
      .reduce((a, b) => a + b, 0)
      .toFixed(0)} s)`;
    log(rowsNote);
    const password = `bench-${randomBytes(12).toString("hex")}`;
    app = await startBuiltApp(
      {
        DATABASE_URL: database.url,
        KAMDASH_ADMIN_PASSWORD: password,
        KAMAILIO_NODES: fleet.kamailioNodes,
      },
      log,
    );
    const base = app.baseUrl;
    await waitFor(
      async () => {
        const nodes = healthReply.parse(await (await fetch(`${base}/api/health`)).json()).nodes ?? [];
        return nodes.length >= nodeCount && nodes.every((n) => n.up);
      },
      { timeoutMs: 90_000, intervalMs: 1000, description: `all ${nodeCount} replay nodes polled up` },
    );
    const client = await signIn(base, "admin", password);
    const now = loaded.now.getTime();
    // warm-up: every kind once
    for (const k of KINDS) await client.get(k.path(fleet.names[0] ?? "edge-1", "ws", now));
    const hammer = async (clients: number, forSeconds: number, into: Map<string, number[]>) => {
      const endAt = performance.now() + forSeconds * 1000;
      let turn = 0;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < endAt) {
            const kind = KINDS[turn++ % KINDS.length] as Kind;
            const node = fleet.names[Math.floor(Math.random() * fleet.names.length)] ?? "edge-1";
            const metric = METRICS[Math.floor(Math.random() * METRICS.length)] ?? "ws";
            const reply = await client.get(kind.path(node, metric, now));
            if (reply.status !== 200) failures.set(kind.label, (failures.get(kind.label) ?? 0) + 1);
            else into.get(kind.label)?.push(reply.totalMs);
          }
        }),
      );
    };
    log("1 client for 10 s (the per-request cost without queueing)…");
    await hammer(1, 10, single);
    log(`${concurrency} clients for ${seconds} s…`);
    await hammer(concurrency, seconds, times);
  } finally {
    await app?.stop();
    await fleet.close();
    await database.drop();
  }
  const f = (n: number) => `${n.toFixed(1)} ms`;
  const rows = KINDS.map((k) => {
    const t = times.get(k.label) ?? [];
    const p95 = percentile(t, 95);
    return [
      k.label,
      String(t.length),
      f(median(t)),
      f(p95),
      `${verdict(p95, TARGET_P95_MS)}`,
      String(failures.get(k.label) ?? 0),
      `${f(median(single.get(k.label) ?? []))} / ${f(percentile(single.get(k.label) ?? [], 95))}`,
    ];
  });
  const all = [...times.values()].flat();
  const lines = [
    ...sectionPreamble("(c) Overview and history API under 20 concurrent clients", argv, machine),
    `History: ${nodeCount} nodes × ${days} days (${rowsNote}); ${concurrency} concurrent signed-in clients for ` +
      `${seconds} s against \`next start\`, which polls the ${nodeCount} nodes (one replay Kamailio) every 2 s meanwhile.`,
    "",
    ...markdownTable([
      ["request", "requests", "p50", "p95", `p95 ≤ ${TARGET_P95_MS} ms`, "non-200", "1 client: p50 / p95"],
      ...rows,
      [
        "all",
        String(all.length),
        f(median(all)),
        f(percentile(all, 95)),
        verdict(percentile(all, 95), TARGET_P95_MS),
        "",
        `${f(median([...single.values()].flat()))} / ${f(percentile([...single.values()].flat(), 95))}`,
      ],
    ]),
    "",
    `Throughput with ${concurrency} clients: ${(all.length / seconds).toFixed(0)} requests/s. Times are to the last ` +
      "byte (Node's fetch). With 20 clients a request waits for the ones ahead of it: p50 ≈ clients ÷ throughput. " +
      "What limits them: one Node process (one event loop) for the app, sharing 2 cores with PostgreSQL, the 20 " +
      "clients, the app's own poller and other work on the machine; the 1-client column is the cost without queueing. " +
      "Series (lib/metrics/resolution.ts): 1 hour reads raw samples, 7 days 10,080 1-minute rollups bucketed to 1,500 " +
      "points, 30 days 1-hour rollups.",
  ];
  for (const line of lines.slice(5)) log(line);
  if (!values["no-write"]) await writeSection("api", lines);
}
