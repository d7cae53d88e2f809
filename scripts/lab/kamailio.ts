import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { clearLocationTables } from "./db";
import { gatewayConfigPath, labPorts, type StatePaths } from "./paths";
import type { Probes } from "./probe";
import {
  inNetns,
  isPidRunning,
  isProcessAlive,
  readPid,
  removeFile,
  rotateLog,
  runCommand,
  spawnDaemon,
  stopPid,
  tailFile,
  writePid,
} from "./process";
import { rtpengineNg } from "./rtpengine";

export const kamailioRpcUrl = `http://127.0.0.1:${labPorts.rpc}/RPC`;

export interface KamailioSettings {
  dbUrl: string;
  domain: string;
  origins: readonly string[];
  /** shared memory in MB: ~136 KB per WSS connection measured (5,000 WSS used 670 MB); lab default 1536 */
  shmMb: number;
  /** private (package) memory per process in MB */
  pkgMb: number;
  openFilesLimit: number;
  /** usrloc db_mode 3 (contacts only in the `location` table of dbUrl) instead of 0 (memory only) */
  usrlocDbOnly: boolean;
}

function quoted(value: string): string {
  if (/["\\\n]/.test(value))
    throw new Error(`value not allowed in a Kamailio define: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

/** The -A defines gateway/kamailio.cfg reads (documented at its top); part of the restart fingerprint. */
export function kamailioDefines(paths: StatePaths, settings: KamailioSettings): string[] {
  const values: Record<string, string> = {
    DBURL: settings.dbUrl,
    SIP_DOMAIN: settings.domain,
    ALLOWED_ORIGINS: settings.origins.join(","),
    TLS_CERT: paths.certFile,
    TLS_KEY: paths.keyFile,
    RTPENGINE_SOCK: `udp:${rtpengineNg}`,
  };
  const args = Object.entries(values).flatMap(([name, value]) => ["-A", `${name}=${quoted(value)}`]);
  // a flag define (no value): modules.cfg switches usrloc to db_mode 3 with `#!ifdef USRLOC_DB_ONLY`
  if (settings.usrlocDbOnly) args.push("-A", "USRLOC_DB_ONLY");
  return args;
}

function kamailioArgs(paths: StatePaths, settings: KamailioSettings): string[] {
  return [
    "-f",
    gatewayConfigPath,
    "-Y",
    paths.runDir,
    ...kamailioDefines(paths, settings),
    "-A",
    `OPEN_FILES_LIMIT=${settings.openFilesLimit}`,
  ];
}

/** The hard RLIMIT_NOFILE (Kamailio may raise its soft limit up to it), capped at 65536. */
export async function openFilesLimit(): Promise<number> {
  const { stdout } = await runCommand("sh", ["-c", "ulimit -Hn"]);
  const hard = stdout.trim() === "unlimited" ? 65536 : Number.parseInt(stdout.trim(), 10);
  return Number.isInteger(hard) && hard > 0 ? Math.min(hard, 65536) : 4096;
}

/** The ERROR/CRITICAL lines of the last start (config fixup errors only show up there, not in -c). */
async function startupErrors(logFile: string): Promise<string> {
  const tail = await tailFile(logFile, 200);
  const lastStart = tail.lastIndexOf("Listening on");
  const errors = tail
    .slice(Math.max(lastStart, 0))
    .split("\n")
    .filter((line) => /ERROR|CRITICAL|ALERT/.test(line));
  return errors.length > 0 ? errors.join("\n") : tail.split("\n").slice(-30).join("\n");
}

/** Changes to the gateway config files or to the defines (usrloc mode included) mean a running Kamailio is out
 * of date. */
export async function kamailioFingerprint(paths: StatePaths, settings: KamailioSettings): Promise<string> {
  const hash = createHash("sha256");
  hash.update(
    // not the file limit: it follows the caller's rlimit and is no reason to restart
    JSON.stringify({ defines: kamailioDefines(paths, settings), shm: settings.shmMb, pkg: settings.pkgMb }),
  );
  const dir = path.dirname(gatewayConfigPath);
  for (const name of (await readdir(dir)).filter((entry) => entry.endsWith(".cfg")).sort()) {
    hash.update(name);
    hash.update(await readFile(path.join(dir, name)));
  }
  return hash.digest("hex");
}

/** `kamailio -c` with the lab's defines; throws with Kamailio's own error lines. */
export async function checkKamailioConfig(paths: StatePaths, settings: KamailioSettings): Promise<void> {
  try {
    await runCommand("kamailio", ["-c", ...kamailioArgs(paths, settings)]);
  } catch (error) {
    const lines = (error as Error).message
      .split("\n")
      .filter((line) => /ERROR|CRITICAL|error/.test(line))
      .join("\n");
    throw new Error(`gateway config check failed (kamailio -c -f ${gatewayConfigPath}):\n${lines}`);
  }
}

export type KamailioState = "running" | "stale" | "stopped";

/** running: alive, answering RPC, started from the current config; stale: alive but config changed. */
export async function kamailioState(
  paths: StatePaths,
  settings: KamailioSettings,
  probes: Probes,
): Promise<KamailioState> {
  const pid = await readPid(paths.kamailioPid);
  if (pid === null || !(await isProcessAlive(pid, "kamailio"))) return "stopped";
  const recorded = await readFile(paths.kamailioFingerprint, "utf8").catch(() => "");
  if (recorded.trim() !== (await kamailioFingerprint(paths, settings))) return "stale";
  // a busy gateway (one TCP worker, thousands of handshakes) may answer late: do not restart it for that
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probes.kamailio(kamailioRpcUrl)) return "running";
    if (!(await isPidRunning(pid))) return "stopped";
    await sleep(500);
  }
  return "stale";
}

export interface StartKamailioOptions {
  paths: StatePaths;
  settings: KamailioSettings;
  probes: Probes;
  netns?: string;
  timeoutMs?: number;
}

/** Checks the config, starts Kamailio (foreground main process, -E log to .lab/kamailio.log), waits for RPC.
 * With usrlocDbOnly the `location` table is emptied first. */
export async function launchKamailio(options: StartKamailioOptions): Promise<number> {
  const { paths, settings, probes, netns } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  await checkKamailioConfig(paths, settings);
  const args = [
    "-DD",
    "-E",
    "-m",
    String(settings.shmMb),
    "-M",
    String(settings.pkgMb),
    "-P",
    paths.kamailioPid,
    ...kamailioArgs(paths, settings),
  ];
  const [file, fullArgs] = inNetns(netns, "kamailio", args);
  // DB-only usrloc reads its contacts from the table: start with none (the in-memory mode starts empty anyway)
  if (settings.usrlocDbOnly) await clearLocationTables(settings.dbUrl);
  // Kamailio writes the pid file itself (-P) and refuses to start if it names a live process
  await rotateLog(paths.kamailioLog);
  const pid = spawnDaemon(file, fullArgs, paths.kamailioLog);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isPidRunning(pid))) {
      throw new Error(`kamailio exited at start:\n${await startupErrors(paths.kamailioLog)}`);
    }
    if (await probes.kamailio(kamailioRpcUrl)) {
      await writePid(paths.kamailioPid, pid);
      await writeFile(paths.kamailioFingerprint, `${await kamailioFingerprint(paths, settings)}\n`);
      return pid;
    }
    await sleep(100);
  }
  await stopPid(pid, "kamailio");
  throw new Error(
    `kamailio did not answer core.version within ${timeoutMs} ms; log tail:\n${await tailFile(paths.kamailioLog)}`,
  );
}

/** Stops the recorded Kamailio PID (SIGTERM, SIGKILL after 10 s) and removes its pid files. */
export async function haltKamailio(paths: StatePaths): Promise<void> {
  const pid = await readPid(paths.kamailioPid);
  if (pid !== null) await stopPid(pid, "kamailio");
  await removeFile(paths.kamailioPid);
  await removeFile(paths.kamailioFingerprint);
}
