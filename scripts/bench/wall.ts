// npm run bench -- --wall [--nodes 20 --runs 10 --no-write]
// Issue #10 (d): the wall page in Chromium (playwright-core, /usr/bin/chromium, as the browser suite runs it): time
// to first render and bytes of JavaScript. The built app (`next start`) on a private database polls `--nodes` replay
// nodes (replay-fleet.ts, captured lab replies), signed in as admin (cookies, no sign-in page in the timing). Each
// run is a fresh page with an empty cache: first-contentful-paint (the paint timing API), the time until the wall's
// tiles show a value ([data-testid^='wall-tile-'][data-tone]), the load event, and the JavaScript the page fetched
// (resource timing of every script: bytes over the wire and decoded).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import type { RunningApp } from "../../tests/e2e/support/app-server";
import { openBrowser } from "../../tests/support/browser";
import { createTempPostgres, type TempPostgres } from "../../tests/support/temp-postgres";
import { waitFor } from "../../tests/support/wait";
import { startBuiltApp } from "./app-start";
import { signIn } from "./dashboard-http";
import { startReplayFleet } from "./replay-fleet";
import { machineLine, markdownTable, sectionPreamble, writeSection } from "./results-file";
import { median, percentile } from "./stats";

const log = (line: string) => console.log(line);
const healthReply = z.object({ nodes: z.array(z.object({ up: z.boolean() })).optional() });
const pageTimes = z.object({
  fcp: z.number().nullable(),
  load: z.number(),
  scripts: z.array(z.object({ name: z.string(), transfer: z.number(), decoded: z.number() })),
});

export async function runWallBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      nodes: { type: "string", default: "20" },
      runs: { type: "string", default: "10" },
      "no-write": { type: "boolean", default: false },
    },
    strict: false,
  });
  const nodeCount = Math.max(1, Number(values.nodes) || 20);
  const runs = Math.max(1, Number(values.runs) || 10);
  const machine = machineLine();
  const fleet = await startReplayFleet(nodeCount);
  let db: TempPostgres | undefined;
  let app: RunningApp | undefined;
  const fcp: number[] = [];
  const tiles: number[] = [];
  const load: number[] = [];
  let scripts: z.infer<typeof pageTimes>["scripts"] = [];
  try {
    db = await createTempPostgres("bench_wall", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
    const password = `bench-${randomBytes(12).toString("hex")}`;
    app = await startBuiltApp(
      {
        DATABASE_URL: db.url,
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
    for (let run = -1; run < runs; run++) {
      const browser = await openBrowser(); // a fresh profile: empty cache, as a wall screen after a restart
      try {
        await browser.context.addCookies(client.cookies.map((c) => ({ ...c, url: base })));
        const page = await browser.context.newPage();
        const started = performance.now();
        const response = await page.goto(`${base}/wall`, { waitUntil: "load" });
        if (!response?.ok() || new URL(page.url()).pathname !== "/wall") {
          throw new Error(`/wall answered ${response?.status()} and landed on ${page.url()}`);
        }
        await page.waitForSelector("[data-testid^='wall-tile-'][data-tone]", { timeout: 30_000 });
        const tilesMs = performance.now() - started;
        const measured = pageTimes.parse(
          await page.evaluate(() => {
            const paint = performance.getEntriesByName("first-contentful-paint")[0];
            const nav = performance.getEntriesByType("navigation")[0] as
              | PerformanceNavigationTiming
              | undefined;
            const scripts = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
              .filter((r) => r.initiatorType === "script" || r.name.endsWith(".js"))
              .map((r) => ({ name: r.name, transfer: r.encodedBodySize, decoded: r.decodedBodySize }));
            return { fcp: paint ? paint.startTime : null, load: nav ? nav.loadEventEnd : 0, scripts };
          }),
        );
        if (run < 0) continue; // the first load warms the server (route compile caches), not counted
        if (measured.fcp !== null) fcp.push(measured.fcp);
        tiles.push(tilesMs);
        load.push(measured.load);
        scripts = measured.scripts;
      } finally {
        await browser.close();
      }
    }
  } finally {
    await app?.stop();
    await db?.drop();
    await fleet.close();
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  const transfer = scripts.reduce((a, s) => a + s.transfer, 0);
  const decoded = scripts.reduce((a, s) => a + s.decoded, 0);
  const f = (n: number) => `${n.toFixed(0)} ms`;
  const lines = [
    ...sectionPreamble("(d) Wall page: first render and JavaScript", argv, machine),
    `Chromium (playwright-core, /usr/bin/chromium, 1920×1080, fresh profile per run) loading \`/wall\` signed in, ` +
      `from \`next start\` polling ${nodeCount} replay nodes; ${runs} runs after one untimed.`,
    "",
    ...markdownTable([
      ["measure", "p50", "p95"],
      ["first contentful paint (navigation start →)", f(median(fcp)), f(percentile(fcp, 95))],
      ["wall tiles showing values (goto →)", f(median(tiles)), f(percentile(tiles, 95))],
      ["load event (navigation start →)", f(median(load)), f(percentile(load, 95))],
    ]),
    "",
    `JavaScript: ${scripts.length} scripts, ${kb(transfer)} over the wire (compressed as served by \`next start\`), ` +
      `${kb(decoded)} decoded. Largest: ${[...scripts]
        .sort((a, b) => b.decoded - a.decoded)
        .slice(0, 3)
        .map((s) => `${s.name.split("/").pop()} ${kb(s.decoded)}`)
        .join(", ")}.`,
    "",
    "What limits first render: the server-rendered HTML (the fleet snapshot and the sparklines query) on 2 shared " +
      "cores, then React hydration of the JavaScript above; no target number was set for this page in the issue.",
  ];
  for (const line of lines.slice(5)) log(line);
  if (!values["no-write"]) await writeSection("wall", lines);
}
