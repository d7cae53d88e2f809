import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort } from "../../support/ports";
import { waitFor } from "../../support/wait";
import { e2eResultsDir } from "./app-server";

// A real Prometheus (Debian package `prometheus`, installed by scripts/install-debian-deps.sh) scraping kamdash:
// config and TSDB in a temp dir, listening on 127.0.0.1 and a free port, stopped by its recorded PID.

export const PROMETHEUS_BIN = "/usr/bin/prometheus";
export const PROMTOOL_BIN = "/usr/bin/promtool";
const missing = (bin: string) =>
  `${bin} not found: install the Debian package "prometheus" (bash scripts/install-debian-deps.sh)`;

export type ScrapeJob = { job: string; target: string; bearerToken?: string };

const targetsSchema = z.object({
  data: z.object({
    activeTargets: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
        health: z.string(),
        lastError: z.string(),
      }),
    ),
  }),
});
export type PrometheusTarget = z.infer<typeof targetsSchema>["data"]["activeTargets"][number];

const querySchema = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("vector"),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});
export type VectorSample = z.infer<typeof querySchema>["data"]["result"][number];

export type RunningPrometheus = {
  baseUrl: string;
  pid: number;
  targets: () => Promise<PrometheusTarget[]>;
  query: (promql: string) => Promise<VectorSample[]>;
  stop: () => Promise<void>;
};

/** prometheus.yml: every job scraped every 1 s (timeout 1 s); a bearer token goes in `authorization`. */
export function prometheusConfig(jobs: readonly ScrapeJob[]): string {
  const lines = ["global:", "  scrape_interval: 1s", "  scrape_timeout: 1s", "scrape_configs:"];
  for (const { job, target, bearerToken } of jobs) {
    // JSON strings are YAML strings: no quoting surprises
    lines.push(`  - job_name: ${JSON.stringify(job)}`, "    metrics_path: /metrics");
    if (bearerToken) lines.push("    authorization:", `      credentials: ${JSON.stringify(bearerToken)}`);
    lines.push("    static_configs:", `      - targets: [${JSON.stringify(target)}]`);
  }
  return `${lines.join("\n")}\n`;
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts Prometheus on `jobs` and resolves once it is ready (/-/ready); fails clearly when it is not installed. */
export async function startPrometheus(jobs: readonly ScrapeJob[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kamdash-prometheus-"));
  const configFile = path.join(dir, "prometheus.yml");
  await writeFile(configFile, prometheusConfig(jobs));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  await mkdir(e2eResultsDir, { recursive: true });
  const logFile = path.join(e2eResultsDir, `prometheus-${port}.log`);
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) {
    const error = await spawnError;
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      (error as NodeJS.ErrnoException).code === "ENOENT" ? missing(PROMETHEUS_BIN) : error.message,
    );
  }
  await writeFile(path.join(e2eResultsDir, `prometheus-${port}.pid`), `${pid}\n`);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, "SIGTERM");
      if (!(await exited(child, 15_000))) {
        process.kill(pid, "SIGKILL");
        await exited(child, 5_000);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  const getJson = async (pathAndQuery: string): Promise<unknown> => {
    const response = await fetch(`${baseUrl}${pathAndQuery}`);
    if (!response.ok) throw new Error(`${pathAndQuery}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`prometheus exited with ${child.exitCode}; see ${logFile}`);
        return (await fetch(`${baseUrl}/-/ready`).catch(() => null))?.ok === true;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: `Prometheus ready on ${baseUrl} (log ${logFile})` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    pid,
    stop,
    targets: async () =>
      targetsSchema.parse(await getJson("/api/v1/targets?state=active")).data.activeTargets,
    query: async (promql) =>
      querySchema.parse(await getJson(`/api/v1/query?query=${encodeURIComponent(promql)}`)).data.result,
  };
}

/** `promtool check metrics` on an exposition: Prometheus's own parser and linter. Resolves with its complaints. */
export function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(PROMTOOL_BIN, ["check", "metrics"], (error, stdout, stderr) => {
      const code = (error as (Error & { code?: number | string }) | null)?.code ?? 0;
      if (code === "ENOENT") reject(new Error(missing(PROMTOOL_BIN)));
      else resolve({ code: typeof code === "number" ? code : 1, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(text);
  });
}
