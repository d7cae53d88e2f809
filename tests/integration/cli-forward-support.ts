import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { e2eResultsDir, repoRoot } from "../e2e/support/app-server";
import { freePort } from "../support/ports";

// The real server as a new user starts it, for the CLI-forwarding and first-run tests: `npm start`
// (scripts/start.mjs) or `next start <repo>` from another folder, with no setting but the ones a test passes.

/** Settings a developer's shell or the test runner may carry that a "no settings" start must not see. */
const SETTINGS = [
  "DATABASE_URL",
  "KAMDASH_DATA_DIR",
  "KAMAILIO_NODES",
  "KAMDASH_ADMIN_PASSWORD",
  "KAMDASH_ADMIN_USER",
  "KAMDASH_MIGRATIONS_DIR",
  "HOST",
  "PORT",
];

export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of SETTINGS) delete env[name];
  return { ...env, ...extra };
}

export type RunningServer = {
  baseUrl: string;
  pid: number;
  /** The server's output so far (stdout and stderr). */
  log: () => Promise<string>;
  stop: () => Promise<void>;
};

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

/**
 * Starts the server and resolves once /api/health answers. `via: "npm-start"` runs scripts/start.mjs from the
 * repo (what `npm start` does); `via: "next-start"` runs `next start <repo>` with `cwd` as the working folder
 * (so ./data and .lab/lab.json are looked up there).
 */
export async function startServer(options: {
  via: "npm-start" | "next-start";
  cwd?: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  await mkdir(e2eResultsDir, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(e2eResultsDir, `first-run-${port}.log`);
  const env = cleanEnv({ ...options.env, HOST: "127.0.0.1", PORT: String(port) });
  const child =
    options.via === "npm-start"
      ? spawn(process.execPath, [path.join(repoRoot, "scripts/start.mjs")], { cwd: repoRoot, env })
      : spawn(
          path.join(repoRoot, "node_modules/.bin/next"),
          ["start", repoRoot, "-H", "127.0.0.1", "-p", String(port)],
          { cwd: options.cwd ?? repoRoot, env },
        );
  const out = createWriteStream(logFile);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error("the server did not spawn");
  await writeFile(path.join(e2eResultsDir, `first-run-${port}.pid`), `${pid}\n`);
  const log = () => readFile(logFile, "utf8").catch(() => "");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, "SIGTERM");
    if (!(await waitForExit(child, 15_000))) {
      process.kill(pid, "SIGKILL");
      await waitForExit(child, 5_000);
    }
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${await log()}`);
    const answered = await fetch(`${baseUrl}/api/health`).then(
      () => true,
      () => false,
    );
    if (answered) return { baseUrl, pid, log, stop };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`the server did not answer on ${baseUrl} within 120 s:\n${await log()}`);
}

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** `node scripts/kamdash.mjs …` as a child process (stdin: `input`, or an open pipe nobody writes to). */
export function kamdash(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(repoRoot, "scripts/kamdash.mjs"), ...args],
      { env: cleanEnv(env), encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
