// npm run bench -- --connections-page [--clients 2000 --runs 20 --browser-runs 5 --no-browser --state-dir DIR]
//   (or: npx tsx scripts/bench/connections-page.ts …)
// Issue #8: with 2,000 WS connections registered in the lab, the connections page renders in under 1.5 s and an IP
// filter answers in under 300 ms. Starts the built app (`next start`, as the browser suite does: build first when
// stale) on a temp PostgreSQL database, polling the lab; signs in over HTTP; times /api/health and /connections
// with only what the lab already holds (the baseline); creates bench-ws-0001… subscribers, opens and registers that
// many WSS clients from distinct loopback addresses (127.1.0.1 …, 250 per /24); waits until the app's poller
// lists all of them with their AORs; times the page and its IP filters (one address, a /24, all of 127.0.0.0/8)
// with Node's fetch to the last byte of the HTML, and optionally Chromium's load event. Prints median/p95 against
// the targets and as ratios against the baseline; asserts nothing. Then unregisters, closes and deletes the users.
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ensureBuild, type RunningApp, startApp } from "../../tests/e2e/support/app-server";
import { createTempPostgres, type TempPostgres } from "../../tests/support/temp-postgres";
import { waitFor } from "../../tests/support/wait";
import type { LabUser } from "../lab/config";
import { readLabConfig } from "../lab/lab";
import { createBenchUsers, removeBenchUsers } from "./bench-users";
import { browserAvailable, timeBrowserLoads } from "./browser-load";
import { type DashboardClient, signIn } from "./dashboard-http";
import { benchSourceAddress, withSourceAddresses } from "./source-addresses";
import { formatTable, median, percentile } from "./stats";
import { type ClientPool, openClients } from "./ws-clients";

const PAGE_TARGET_MS = 1500;
const FILTER_TARGET_MS = 300;
const log = (line: string) => console.log(line);

/** What /api/v1/connections answers (only the parts read here). */
const connectionsReply = z.object({
  total: z.number(),
  lists: z.array(z.object({ node: z.string(), connectionsAt: z.string().nullable() })),
});
const healthReply = z.object({ nodes: z.array(z.object({ up: z.boolean() })).optional() });

/** "< 300: pass, OVER": the target against the median, then against the 95th percentile. */
function verdict(target: number, times: readonly number[]): string {
  const mark = (v: number) => (v < target ? "pass" : "OVER");
  return `< ${target}: ${mark(median(times))}, ${mark(percentile(times, 95))}`;
}

type Case = { label: string; path: string; target?: number; baseline?: string };

/** Every case once per round (interleaved, so drift in the lab or the app hits all alike) after one untimed round. */
async function timeCases(client: DashboardClient, cases: readonly Case[], runs: number) {
  const times = new Map<string, { total: number[]; headers: number[]; bytes: number }>(
    cases.map((c) => [c.label, { total: [], headers: [], bytes: 0 }]),
  );
  for (let round = -1; round < runs; round++) {
    for (const c of cases) {
      const reply = await client.get(c.path);
      if (reply.status !== 200) throw new Error(`GET ${c.path}: HTTP ${reply.status}`);
      const t = times.get(c.label);
      if (!t || round < 0) continue;
      t.total.push(reply.totalMs);
      t.headers.push(reply.headersMs);
      t.bytes = reply.bytes;
    }
  }
  return times;
}

export async function runConnectionsPageBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      "connections-page": { type: "boolean", default: false },
      clients: { type: "string", default: "2000" },
      runs: { type: "string", default: "20" },
      "browser-runs": { type: "string", default: "5" },
      "no-browser": { type: "boolean", default: false },
      "state-dir": { type: "string" },
    },
  });
  const count = Math.max(250, Number(values.clients) || 2000);
  const runs = Math.max(3, Number(values.runs) || 20);
  const browserRuns =
    values["no-browser"] || !browserAvailable() ? 0 : Math.max(1, Number(values["browser-runs"]) || 5);
  const lab = await readLabConfig(values["state-dir"]);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

  log(`next build: ${await ensureBuild()}`);
  const adminPassword = `bench-${randomBytes(12).toString("hex")}`;
  let db: TempPostgres | undefined;
  let app: RunningApp | undefined;
  let users: LabUser[] = [];
  let pool: ClientPool | undefined;
  try {
    db = await createTempPostgres("bench_connections");
    app = await startApp({ DATABASE_URL: db.url, KAMDASH_ADMIN_PASSWORD: adminPassword });
    const base = app.baseUrl;
    log(`app ${base} (next start, temp database ${db.name}) [${elapsed()}]`);
    await waitFor(
      async () =>
        healthReply.parse(await (await fetch(`${base}/api/health`)).json()).nodes?.some((n) => n.up) === true,
      { timeoutMs: 60_000, intervalMs: 500, description: "the lab node polled up (/api/health)" },
    );
    const client = await signIn(base, "admin", adminPassword);
    const api = (query: string) =>
      client.getJson(`/api/v1/connections?pageSize=10&${query}`, connectionsReply);
    await waitFor(async () => (await api("")).lists.some((l) => l.connectionsAt !== null), {
      timeoutMs: 30_000,
      intervalMs: 500,
      description: "core.tcp_list read by the app's poller",
    });

    const one = benchSourceAddress(Math.floor(count / 2) + 16);
    const slash24 = `${benchSourceAddress(250).split(".").slice(0, 3).join(".")}.0/24`;
    const before = (await api("")).total;
    log(
      `baseline: the lab holds ${before} connections (other users of the lab included); ` +
        `load average (1 min) ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs [${elapsed()}]`,
    );
    const baselineCases: Case[] = [
      { label: "baseline: /api/health", path: "/api/health" },
      { label: "baseline: /connections", path: "/connections" },
      { label: `baseline: /connections?ip=${one}`, path: `/connections?ip=${encodeURIComponent(one)}` },
    ];
    const baseline = await timeCases(client, baselineCases, runs);

    users = await createBenchUsers(lab.db, lab.domain, count);
    log(
      `created ${users.length} subscribers ${users[0]?.username}…${users.at(-1)?.username}; opening WSS clients…`,
    );
    let next = 0;
    pool = await withSourceAddresses(
      () => benchSourceAddress(next++),
      () => openClients({ ...lab, users }, { count, register: true, secure: true, log }),
    );
    log(
      `${pool.registered} clients registered from ${benchSourceAddress(0)}…${benchSourceAddress(count - 1)} [${elapsed()}]`,
    );
    // loading the page asks the poller for a fresh ul.dump (demandFreshLists); the API does not
    const listed = await waitFor(
      async () => {
        await client.get("/connections");
        const withAors = (await api("ip=127.1.0.0%2F16&user=bench-ws-")).total;
        return withAors >= count ? withAors : false;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 1000,
        description: `the poller listing ${count} bench connections with AORs`,
      },
    );
    const matched = {
      all: (await api("")).total,
      one: (await api(`ip=${encodeURIComponent(one)}`)).total,
      slash24: (await api(`ip=${encodeURIComponent(slash24)}`)).total,
      loopback: (await api("ip=127.0.0.0%2F8")).total,
    };
    log(`listed: ${listed} bench connections with AORs, ${matched.all} in all [${elapsed()}]`);

    const loadedCases: Case[] = [
      { label: "/api/health", path: "/api/health", baseline: "baseline: /api/health" },
      {
        label: `/connections (page 1 of ${matched.all})`,
        path: "/connections",
        target: PAGE_TARGET_MS,
        baseline: "baseline: /connections",
      },
      {
        label: `/connections?ip=${one} (${matched.one} match)`,
        path: `/connections?ip=${encodeURIComponent(one)}`,
        target: FILTER_TARGET_MS,
        baseline: `baseline: /connections?ip=${one}`,
      },
      {
        label: `/connections?ip=${slash24} (${matched.slash24})`,
        path: `/connections?ip=${encodeURIComponent(slash24)}`,
        target: FILTER_TARGET_MS,
        baseline: `baseline: /connections?ip=${one}`,
      },
      {
        label: `/connections?ip=127.0.0.0/8 (${matched.loopback})`,
        path: "/connections?ip=127.0.0.0%2F8",
        target: FILTER_TARGET_MS,
        baseline: `baseline: /connections?ip=${one}`,
      },
      {
        label: `/api/v1/connections?ip=${one} (JSON)`,
        path: `/api/v1/connections?ip=${encodeURIComponent(one)}`,
      },
    ];
    const loaded = await timeCases(client, loadedCases, runs);
    const browserPaths = ["/connections", `/connections?ip=${encodeURIComponent(one)}`];
    const browser =
      browserRuns > 0 ? await timeBrowserLoads(base, client.cookies, browserPaths, browserRuns) : null;

    const ms = (v: number) => v.toFixed(1);
    const health = median(baseline.get("baseline: /api/health")?.total ?? []);
    const rows = [
      [
        "GET (Node fetch, signed in)",
        "KB",
        "headers p50",
        "p50 ms",
        "p95 ms",
        "target (p50, p95)",
        "p50 / baseline p50",
        "p50 / health p50",
      ],
    ];
    const all = [
      ...baselineCases.map((c) => ({ c, t: baseline.get(c.label) })),
      ...loadedCases.map((c) => ({ c, t: loaded.get(c.label) })),
    ];
    for (const { c, t } of all) {
      if (!t) continue;
      const base = c.baseline ? (baseline.get(c.baseline)?.total ?? []) : [];
      const p95 = percentile(t.total, 95);
      rows.push([
        c.label,
        (t.bytes / 1024).toFixed(0),
        ms(median(t.headers)),
        ms(median(t.total)),
        ms(p95),
        c.target ? verdict(c.target, t.total) : "",
        base.length > 0 ? `${(median(t.total) / median(base)).toFixed(2)}×` : "",
        c.label.includes("health") ? "" : `${(median(t.total) / health).toFixed(1)}×`,
      ]);
    }
    log("");
    log(formatTable(rows));
    if (browser) {
      log("");
      const browserRows = [["Chromium, navigation to load event", "p50 ms", "p95 ms", "target (p50, p95)"]];
      for (const [path, times] of browser) {
        // a filter is a GET form: submitting it loads the page again, so the page's target applies
        const target = PAGE_TARGET_MS;
        const p95 = percentile(times, 95);
        browserRows.push([path, ms(median(times)), ms(p95), verdict(target, times)]);
      }
      log(formatTable(browserRows));
    }
    log("");
    log(
      `${runs} rounds after 1 untimed round (${browserRuns} in Chromium); times to the last byte of the response; ` +
        `baseline = the same request before the ${count} clients, in this run`,
    );
    log(
      `load average (1 min) ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs at the end (other work slows every row)`,
    );
  } finally {
    if (pool) {
      await pool.close();
      log(`closed ${pool.clients.length} clients (unregistered first)`);
    }
    if (users.length > 0)
      log(`removed ${await removeBenchUsers(lab.db, lab.domain, users)} bench subscribers`);
    await app?.stop();
    await db?.drop();
    log(`done in ${elapsed()}`);
  }
}

// Also runnable on its own: poll-cycle.ts, which dispatches --connections-page here, first loads the whole poller.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runConnectionsPageBench(process.argv.slice(2));
}
