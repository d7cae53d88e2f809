import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { freePort } from "../../support/ports";

// Runs the real app for the browser suite: `next build` when the build is missing or older than the sources,
// then `next start` on 127.0.0.1 and a free port, with its PID recorded and stopped by that PID.

export const repoRoot = path.resolve(import.meta.dirname, "../../..");
const nextBin = path.join(repoRoot, "node_modules/.bin/next");
const buildIdFile = path.join(repoRoot, ".next/BUILD_ID");
export const e2eResultsDir = path.join(repoRoot, "test-results/e2e");

/** What a build depends on; a file here newer than .next/BUILD_ID means the build is stale. */
const buildInputs = [
  "app",
  "components",
  "lib",
  "instrumentation.ts",
  "instrumentation-node.ts",
  "instrumentation-client.ts",
  "proxy.ts",
  "next.config.js",
  "next.config.mjs",
  "next.config.ts",
  "tailwind.config.ts",
  "postcss.config.mjs",
  "package.json",
];

async function newestMtime(target: string): Promise<number> {
  const info = await stat(target).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

async function buildIsCurrent(): Promise<boolean> {
  if (!existsSync(buildIdFile)) return false;
  const built = statSync(buildIdFile).mtimeMs;
  const sources = await Promise.all(buildInputs.map((p) => newestMtime(path.join(repoRoot, p))));
  return Math.max(...sources) <= built;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} exited ${code}; see ${logFile}`)),
    );
  });
}

/**
 * `next build` once: skipped while .next/BUILD_ID is newer than every source file. Next refuses a second
 * concurrent build in the same folder; then we wait for the other one and look again.
 */
export async function ensureBuild(): Promise<"built" | "current"> {
  await mkdir(e2eResultsDir, { recursive: true });
  const logFile = path.join(e2eResultsDir, "next-build.log");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (await buildIsCurrent()) return "current";
    try {
      await run(nextBin, ["build"], env, logFile);
      return "built";
    } catch (err) {
      const log = await readFile(logFile, "utf8").catch(() => "");
      if (!log.includes("Another next build process is already running") || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

export type RunningApp = { baseUrl: string; pid: number; stop: () => Promise<void> };

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").slice(-40).join("\n");
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts `next start` and resolves once /api/health answers (any HTTP status). */
export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  await mkdir(e2eResultsDir, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(e2eResultsDir, `app-${port}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(nextBin, ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error("next start did not spawn");
  await writeFile(path.join(e2eResultsDir, `app-${port}.pid`), `${pid}\n`);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, "SIGTERM");
    if (!(await waitForExit(child, 15_000))) {
      process.kill(pid, "SIGKILL");
      await waitForExit(child, 5_000);
    }
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}:\n${await logTail(logFile)}`);
    }
    const answered = await fetch(`${baseUrl}/api/health`).then(
      () => true,
      () => false,
    );
    if (answered) return { baseUrl, pid, stop };
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`next start did not answer on ${baseUrl} within 90 s:\n${await logTail(logFile)}`);
}
