import { execFile, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export function runCommand(
  file: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = `${stderr}\n${stdout}`.trim();
        reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}${detail ? `\n${detail}` : ""}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** Prefixes a command with `ip netns exec <name>` when a namespace is given (exec keeps the PID). */
export function inNetns(
  netns: string | undefined,
  file: string,
  args: readonly string[],
): [string, string[]] {
  return netns ? ["ip", ["netns", "exec", netns, file, ...args]] : [file, [...args]];
}

/** Starts a long-running process in its own session, output appended to logFile; returns its PID. */
export function spawnDaemon(file: string, args: readonly string[], logFile: string): number {
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(file, args, { detached: true, stdio: ["ignore", fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export async function readPid(pidFile: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(pidFile, "utf8")).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export async function writePid(pidFile: string, pid: number): Promise<void> {
  await writeFile(pidFile, `${pid}\n`);
}

/** True when the PID exists and runs the expected program (guards against PID reuse). */
export async function isProcessAlive(pid: number, program: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && cmdline.split("\0").some((part) => part.endsWith(program));
  } catch {
    return false;
  }
}

/** True while the PID exists and is not a zombie. For a PID we just spawned or already identified: its
 * cmdline can read empty or still show `ip netns exec …` while it execs, so don't match the program name. */
export async function isPidRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** SIGTERM, wait up to graceMs, then SIGKILL. Only ever the given PID. */
export async function stopPid(pid: number, program: string, graceMs = 10_000): Promise<void> {
  if (!(await isProcessAlive(pid, program))) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await isPidRunning(pid))) return;
    await sleep(100);
  }
  process.kill(pid, "SIGKILL");
  const killDeadline = Date.now() + 5_000;
  while (Date.now() < killDeadline) {
    if (!(await isPidRunning(pid))) return;
    await sleep(100);
  }
  throw new Error(`${program} (PID ${pid}) did not exit after SIGKILL`);
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Local ports among `ports` that have a TCP or UDP listener (inside netns when given). */
export async function listeningPorts(ports: readonly number[], netns?: string): Promise<number[]> {
  const [file, args] = inNetns(netns, "ss", ["-H", "-l", "-n", "-t", "-u"]);
  const { stdout } = await runCommand(file, args);
  const wanted = new Set(ports);
  const found = new Set<number>();
  for (const line of stdout.split("\n")) {
    const local = line.trim().split(/\s+/)[4];
    const port = local ? Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 10) : Number.NaN;
    if (wanted.has(port)) found.add(port);
  }
  return [...found].sort((a, b) => a - b);
}

export async function tailFile(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, "utf8")).split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Keeps one previous log (<file>.old) once the log passes maxBytes; called before a process starts. */
export async function rotateLog(file: string, maxBytes = 20 * 1024 * 1024): Promise<void> {
  const size = await stat(file).then(
    (info) => info.size,
    () => 0,
  );
  if (size > maxBytes) await rename(file, `${file}.old`);
}
