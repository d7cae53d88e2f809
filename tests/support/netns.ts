// A throw-away Linux network namespace for tests that must not touch the host's network: only `lo` is up, so
// every listener inside is private to the test and ICE can only find 127.0.0.1. Needs root (ip netns).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface NetnsProcess {
  readonly label: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

export interface SpawnInNetnsOptions {
  label: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** File that receives stdout and stderr; without it the output is discarded. */
  logFile?: string;
}

export interface Netns {
  readonly name: string;
  /** Starts a long-lived process inside the namespace and records its PID for close(). */
  spawn(command: string, args: readonly string[], options: SpawnInNetnsOptions): NetnsProcess;
  /** Runs a command inside the namespace to completion; rejects on a non-zero exit with its output. */
  run(
    command: string,
    args: readonly string[],
    timeoutMs?: number,
  ): Promise<{ stdout: string; stderr: string }>;
  /** Stops a recorded process: SIGTERM, then SIGKILL after graceMs. */
  stop(process: NetnsProcess, graceMs?: number): Promise<void>;
  /** Stops every recorded process, then any process still inside the namespace, then deletes it. */
  close(): Promise<void>;
}

const STOP_GRACE_MS = 8_000;

function watchExit(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else if (child.signalCode !== null) resolve(child.signalCode);
    else child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((pid) => !isAlive(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pids.every((pid) => !isAlive(pid));
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function pidsInside(name: string): Promise<number[]> {
  try {
    const { stdout } = await execFileAsync("ip", ["netns", "pids", name]);
    return stdout
      .split(/\s+/)
      .filter((field) => /^\d+$/.test(field))
      .map(Number);
  } catch {
    return [];
  }
}

async function stopEverythingInside(name: string): Promise<void> {
  let leftovers = await pidsInside(name);
  for (const pid of leftovers) signal(pid, "SIGTERM");
  if (!(await waitUntilGone(leftovers, STOP_GRACE_MS))) {
    leftovers = await pidsInside(name);
    for (const pid of leftovers) signal(pid, "SIGKILL");
    await waitUntilGone(leftovers, 2_000);
  }
}

/**
 * Namespaces are named `<prefix>-<pid of the test process>`. One whose test process is gone was left by a run
 * that was killed before its clean-up: stop what still runs inside it and delete it.
 */
async function removeStaleNamespaces(prefix: string): Promise<void> {
  const { stdout } = await execFileAsync("ip", ["netns", "list"]);
  for (const line of stdout.split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const owner = name.startsWith(`${prefix}-`) ? Number(name.slice(prefix.length + 1)) : Number.NaN;
    if (!Number.isInteger(owner) || (owner !== process.pid && isAlive(owner))) continue;
    await stopEverythingInside(name);
    await execFileAsync("ip", ["netns", "del", name]).catch(() => undefined);
  }
}

export async function createNetns(prefix = "kamdash-test"): Promise<Netns> {
  const name = `${prefix}-${process.pid}`;
  await removeStaleNamespaces(prefix);
  await execFileAsync("ip", ["netns", "add", name]);
  try {
    await execFileAsync("ip", ["-n", name, "link", "set", "lo", "up"]);
  } catch (error) {
    await execFileAsync("ip", ["netns", "del", name]).catch(() => undefined);
    throw error;
  }

  const started: NetnsProcess[] = [];

  const stop = async (proc: NetnsProcess, graceMs = STOP_GRACE_MS): Promise<void> => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    signal(proc.pid, "SIGTERM");
    const result = await Promise.race([
      proc.exited.then(() => "exited" as const),
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs)),
    ]);
    if (result === "timeout") {
      signal(proc.pid, "SIGKILL");
      await proc.exited;
    }
  };

  return {
    name,
    spawn(command, args, options) {
      // `ip netns exec` enters the namespace and then exec()s the command, so the PID is the command's own.
      const child = spawn("ip", ["netns", "exec", name, command, ...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ["ignore", options.logFile ? "pipe" : "ignore", options.logFile ? "pipe" : "ignore"],
      });
      if (child.pid === undefined) throw new Error(`could not start ${options.label} (${command})`);
      if (options.logFile) {
        const log = createWriteStream(options.logFile, { flags: "a" });
        child.stdout?.pipe(log, { end: false });
        child.stderr?.pipe(log, { end: false });
        child.once("exit", () => setTimeout(() => log.end(), 50));
      }
      const proc: NetnsProcess = { label: options.label, child, pid: child.pid, exited: watchExit(child) };
      started.push(proc);
      return proc;
    },
    async run(command, args, timeoutMs = 30_000) {
      try {
        const { stdout, stderr } = await execFileAsync("ip", ["netns", "exec", name, command, ...args], {
          timeout: timeoutMs,
          maxBuffer: 16 * 1024 * 1024,
        });
        return { stdout, stderr };
      } catch (error) {
        const failure = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(
          `${command} ${args.join(" ")} failed in ${name}: ${failure.message}\n${failure.stdout ?? ""}${failure.stderr ?? ""}`,
        );
      }
    },
    stop,
    async close() {
      await Promise.all([...started].reverse().map((proc) => stop(proc)));
      // Daemons we started may have forked (Kamailio workers, Chromium helpers). Everything inside this
      // namespace was started by this test, so whatever is left there is ours to stop.
      await stopEverythingInside(name);
      await execFileAsync("ip", ["netns", "del", name]);
    },
  };
}

export interface TcpToUnixForwarder {
  process: NetnsProcess;
  port: number;
}

/**
 * Listens on 127.0.0.1:port inside the namespace and forwards each connection to a Unix socket, which is
 * reachable from any namespace because it lives in the file system. Used to reach the host's PostgreSQL
 * (127.0.0.1:5432 on the host is invisible from inside the namespace).
 */
export function forwardTcpToUnixSocket(
  netns: Netns,
  port: number,
  socketPath: string,
  label = `tcp ${port} -> ${socketPath}`,
): TcpToUnixForwarder {
  const socat = netns.spawn(
    "socat",
    [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `UNIX-CONNECT:${socketPath}`],
    { label },
  );
  return { process: socat, port };
}

export const POSTGRES_UNIX_SOCKET = "/var/run/postgresql/.s.PGSQL.5432";

/** Makes postgres://…@127.0.0.1:5432 inside the namespace reach the host's PostgreSQL. */
export function forwardPostgres(netns: Netns): TcpToUnixForwarder {
  return forwardTcpToUnixSocket(netns, 5432, POSTGRES_UNIX_SOCKET, "postgres forwarder");
}

/** Polls until something listens on 127.0.0.1:port (TCP or UDP) inside the namespace (checked with `ss`). */
export async function waitForListener(
  netns: Netns,
  protocol: "tcp" | "udp",
  port: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await netns.run("ss", ["-Hln", protocol === "tcp" ? "-t" : "-u", `sport = :${port}`]);
    if (stdout.trim() !== "") return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${protocol} 127.0.0.1:${port} in ${netns.name} after ${timeoutMs} ms`);
}
