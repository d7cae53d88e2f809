// npm run bench -- --soak [30m | 10m | 90s] [--soak-replay-nodes 19 --heap-mb N --no-write --state-dir DIR]
// Issue #10 (e): the built app (`next start`) polling every second for the soak's duration (default 30 min): its
// resident memory (RSS of the server process and its children, /proc) sampled every 10 s, growth = mean of the last
// tenth over mean of the first tenth after a 2-minute warm-up (target ≤ 10 %); and the age of the data a wall shows:
// the bench holds the wall's SSE stream (/api/v1/stream) open, and every 200 ms takes now − polledAt of the oldest up
// node in the last snapshot received (target ≤ poll interval + 1 s = 2 s). Nodes: the lab's Kamailio (read-only
// RPC, when .lab/lab.json exists) plus `--soak-replay-nodes` replay nodes (replay-fleet.ts) to make a 20-node fleet.
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import type { RunningApp } from "../../tests/e2e/support/app-server";
import { createTempPostgres, type TempPostgres } from "../../tests/support/temp-postgres";
import { waitFor } from "../../tests/support/wait";
import { readLabConfigIfAny } from "../lab/config";
import { startBuiltApp } from "./app-start";
import { signIn } from "./dashboard-http";
import { startReplayFleet } from "./replay-fleet";
import { machineLine, markdownTable, sectionPreamble, verdict, writeSection } from "./results-file";
import { median, percentile } from "./stats";

const INTERVAL_MS = 1000;
const WARMUP_MS = 120_000;
const log = (line: string) => console.log(line);
const snapshotSchema = z.object({ nodes: z.array(z.object({ up: z.boolean(), polledAt: z.string() })) });

/** "30m", "10m", "90s", "1h" → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`--soak wants a duration like 30m, 10m or 90s, got "${text}"`);
  return Number(m[1]) * ({ s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "m"] ?? 60_000);
}

/** KB of resident memory of `pid` and all its descendants (/proc/<pid>/status VmRSS, task children). */
async function treeRssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  let kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const task of tasks) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, "utf8").catch(() => "");
    for (const child of children.split(/\s+/).filter(Boolean)) kb += await treeRssKb(Number(child));
  }
  return kb;
}

/** Reads the SSE stream, keeping the newest snapshot's oldest up-node polledAt (ms); stops on abort. */
async function followStream(
  url: string,
  cookie: string,
  signal: AbortSignal,
  onSnapshot: (oldestUpPolledAt: number) => void,
): Promise<void> {
  const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal });
  if (!res.ok || !res.body) throw new Error(`stream: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (!event.startsWith("event: snapshot")) continue;
        const data = event.split("\n").find((l) => l.startsWith("data: "));
        if (!data) continue;
        const up = snapshotSchema.parse(JSON.parse(data.slice(6))).nodes.filter((n) => n.up);
        if (up.length > 0) onSnapshot(Math.min(...up.map((n) => Date.parse(n.polledAt))));
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

export async function runSoakBench(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      soak: { type: "boolean", default: false },
      "soak-replay-nodes": { type: "string", default: "19" },
      "heap-mb": { type: "string" },
      "no-write": { type: "boolean", default: false },
      "state-dir": { type: "string" },
    },
    strict: false,
    allowPositionals: true,
  });
  const durationText = positionals.find((p) => /^\d/.test(p)) ?? "30m";
  const durationMs = parseDuration(durationText);
  const machine = machineLine();
  const lab = await readLabConfigIfAny(
    typeof values["state-dir"] === "string" ? values["state-dir"] : undefined,
  );
  const fleet = await startReplayFleet(Math.max(0, Number(values["soak-replay-nodes"]) || 0));
  const nodes = [
    ...(lab ? [`lab=${lab.rpc}`] : []),
    ...(fleet.names.length > 0 ? [fleet.kamailioNodes] : []),
  ];
  let db: TempPostgres | undefined;
  let app: RunningApp | undefined;
  const rss: { atMs: number; kb: number }[] = [];
  const ages: number[] = [];
  const stop = new AbortController();
  let lastPolledAt: number | null = null;
  let streamError = "";
  try {
    db = await createTempPostgres("bench_soak", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
    const password = `bench-${randomBytes(12).toString("hex")}`;
    app = await startBuiltApp(
      {
        DATABASE_URL: db.url,
        KAMDASH_ADMIN_PASSWORD: password,
        KAMAILIO_NODES: nodes.join(","),
        KAMDASH_POLL_INTERVAL_MS: String(INTERVAL_MS),
        // --heap-mb N caps V8's old space: if RSS then levels off, the growth was lazy GC, not held memory
        ...(typeof values["heap-mb"] === "string"
          ? { NODE_OPTIONS: `--max-old-space-size=${values["heap-mb"]}` }
          : {}),
      },
      log,
    );
    const base = app.baseUrl;
    const pid = app.pid;
    const client = await signIn(base, "admin", password);
    const cookie = client.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const stream = followStream(`${base}/api/v1/stream`, cookie, stop.signal, (at) => {
      lastPolledAt = at;
    }).catch((e: unknown) => {
      streamError = e instanceof Error ? e.message : String(e);
    });
    await waitFor(() => lastPolledAt !== null, {
      timeoutMs: 60_000,
      description: "a first snapshot on the stream",
    });
    log(
      `soaking ${durationText} (${nodes.length > 1 ? "lab + " : ""}${fleet.names.length} replay nodes, 1 s polling)…`,
    );
    const started = Date.now();
    const ageTimer = setInterval(() => {
      if (lastPolledAt !== null && Date.now() - started > 10_000) ages.push(Date.now() - lastPolledAt);
    }, 200);
    while (Date.now() - started < durationMs) {
      rss.push({ atMs: Date.now() - started, kb: await treeRssKb(pid) });
      const last = rss.at(-1);
      if (rss.length % 30 === 1 && last)
        log(`  ${(last.atMs / 60_000).toFixed(1)} min: RSS ${(last.kb / 1024).toFixed(0)} MB`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    clearInterval(ageTimer);
    stop.abort();
    await stream;
  } finally {
    stop.abort();
    await app?.stop();
    await db?.drop();
    await fleet.close();
  }
  const afterWarmup = rss.filter((r) => r.atMs >= Math.min(WARMUP_MS, durationMs / 4));
  const tenth = Math.max(1, Math.floor(afterWarmup.length / 10));
  const mean = (xs: readonly { kb: number }[]) => xs.reduce((a, r) => a + r.kb, 0) / Math.max(1, xs.length);
  const first = mean(afterWarmup.slice(0, tenth));
  const lastMean = mean(afterWarmup.slice(-tenth));
  const growth = (lastMean / first - 1) * 100;
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ageTarget = INTERVAL_MS + 1000;
  const p99 = percentile(ages, 99);
  const lines = [
    ...sectionPreamble("(e) Soak at 1-second polling: memory and data age", argv, machine),
    `\`next start\` polling ${lab ? "the lab's Kamailio and " : ""}${fleet.names.length} replay nodes every ` +
      `${INTERVAL_MS / 1000} s for ${durationText}; RSS of the server process tree every 10 s; the wall's SSE ` +
      `stream read throughout${typeof values["heap-mb"] === "string" ? `; V8 old space capped at ${values["heap-mb"]} MB` : ""}.${streamError ? ` Stream error: ${streamError}.` : ""}`,
    "",
    ...markdownTable([
      ["measure", "value", "target", "verdict"],
      ["RSS after warm-up, first tenth (mean)", mb(first), "", ""],
      ["RSS, last tenth (mean)", mb(lastMean), "", ""],
      [
        "RSS min / max over the run",
        `${mb(Math.min(...rss.map((r) => r.kb)))} / ${mb(Math.max(...rss.map((r) => r.kb)))}`,
        "",
        "",
      ],
      ["**RSS growth**", `**${growth.toFixed(1)} %**`, "≤ 10 %", verdict(growth, 10)],
      ["wall data age p50 / p95", `${s(median(ages))} / ${s(percentile(ages, 95))}`, "", ""],
      [
        "**wall data age p99** (max)",
        `**${s(p99)}** (${s(percentile(ages, 100))})`,
        `≤ ${s(ageTarget)}`,
        verdict(p99, ageTarget),
      ],
    ]),
    "",
    "Data age = now − polledAt of the oldest up node in the last snapshot the stream delivered, sampled every " +
      "200 ms: what a wall shows at worst just before the next cycle arrives. What limits it: the poll cycle's own " +
      "duration on top of the 1 s interval and the 2 shared cores.",
  ];
  for (const line of lines.slice(5)) log(line);
  if (!values["no-write"]) await writeSection("soak", lines);
}
