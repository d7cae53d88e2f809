import { setTimeout as sleep } from "node:timers/promises";
import { labPorts, type StatePaths } from "./paths";
import type { Probes } from "./probe";
import {
  inNetns,
  isPidRunning,
  isProcessAlive,
  readPid,
  removeFile,
  rotateLog,
  spawnDaemon,
  stopPid,
  tailFile,
  writePid,
} from "./process";

export const rtpengineNg = `127.0.0.1:${labPorts.rtpengineNg}`;
export const rtpengineHttp = `http://127.0.0.1:${labPorts.rtpengineHttp}`;

function rtpengineArgs(paths: StatePaths): string[] {
  return [
    "--config-file=none",
    "--table=-1",
    "--interface=127.0.0.1",
    `--listen-ng=127.0.0.1:${labPorts.rtpengineNg}`,
    `--listen-http=127.0.0.1:${labPorts.rtpengineHttp}`,
    `--port-min=${labPorts.rtpMin}`,
    `--port-max=${labPorts.rtpMax}`,
    // a deleted call is gone at once (default keeps it 30 s), so tests and the dashboard see it freed
    "--delete-delay=0",
    "--num-threads=2",
    "--http-threads=1",
    "--timeout=60",
    "--silent-timeout=3600",
    `--pidfile=${paths.rtpenginePid}`,
    "--foreground",
    "--log-stderr",
    "--log-level=5",
  ];
}

export async function rtpengineRunning(paths: StatePaths, probes: Probes): Promise<boolean> {
  const pid = await readPid(paths.rtpenginePid);
  if (pid === null || !(await isProcessAlive(pid, "rtpengine"))) return false;
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (await probes.rtpengine(rtpengineNg, rtpengineHttp)) return true;
    await sleep(250);
  }
  return false;
}

/** Starts RTPEngine and waits until NG ping and HTTP /ping answer. Returns the PID. */
export async function startRtpengine(
  paths: StatePaths,
  probes: Probes,
  netns?: string,
  timeoutMs = 15_000,
): Promise<number> {
  const [file, args] = inNetns(netns, "rtpengine", rtpengineArgs(paths));
  await rotateLog(paths.rtpengineLog);
  const pid = spawnDaemon(file, args, paths.rtpengineLog);
  await writePid(paths.rtpenginePid, pid);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isPidRunning(pid))) {
      throw new Error(`rtpengine exited at start; log tail:\n${await tailFile(paths.rtpengineLog)}`);
    }
    if (await probes.rtpengine(rtpengineNg, rtpengineHttp)) return pid;
    await sleep(100);
  }
  await stopPid(pid, "rtpengine");
  throw new Error(
    `rtpengine did not answer NG ping within ${timeoutMs} ms; log tail:\n${await tailFile(paths.rtpengineLog)}`,
  );
}

export async function stopRtpengine(paths: StatePaths): Promise<void> {
  const pid = await readPid(paths.rtpenginePid);
  if (pid !== null) await stopPid(pid, "rtpengine");
  await removeFile(paths.rtpenginePid);
}
