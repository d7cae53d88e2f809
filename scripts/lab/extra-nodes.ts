// Extra Kamailio gateways next to the lab's one: the same gateway config (gateway/*.cfg), copied to a temp dir
// with its fixed ports (SIP 5060/5061, WS 8080, WSS 8443, JSON-RPC 5080) replaced by free ones, and the lab's
// defines (database, TLS certificate, RTPEngine, origins). Each binds 127.0.0.1 only, keeps its PID file, log and
// runtime files in its own dir, and is stopped by its recorded PID. For tests that need several nodes (e.g.
// tests/integration/fault-replica-killed.test.ts); the lab must be up (labUp) for its database, certificate and
// RTPEngine.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type LabConfig, readLabConfig } from "./config";
import { kamailioDefines } from "./kamailio";
import { defaultStateDir, gatewayConfigPath, statePaths } from "./paths";
import { kamailioAnswers } from "./probe";
import { isPidRunning, runCommand, spawnDaemon, stopPid, tailFile, writePid } from "./process";

export interface ExtraKamailio {
  /** JSON-RPC over HTTP on 127.0.0.1. */
  rpcUrl: string;
  ports: { sip: number; tls: number; ws: number; wss: number; rpc: number };
  pid: number;
  dir: string;
  /** Stops it by its recorded PID (SIGTERM, SIGKILL after 10 s) and removes its dir. */
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** gateway/kamailio.cfg with its listen ports replaced; throws if a line to replace is not there any more. */
export function withPorts(config: string, ports: ExtraKamailio["ports"]): string {
  const replacements: [RegExp, string][] = [
    [/^#!define WS_PORT \d+$/m, `#!define WS_PORT ${ports.ws}`],
    [/^#!define WSS_PORT \d+$/m, `#!define WSS_PORT ${ports.wss}`],
    [/^#!define RPC_PORT \d+$/m, `#!define RPC_PORT ${ports.rpc}`],
    [/^listen=udp:127\.0\.0\.1:5060$/m, `listen=udp:127.0.0.1:${ports.sip}`],
    [/^listen=tcp:127\.0\.0\.1:5060$/m, `listen=tcp:127.0.0.1:${ports.sip}`],
    [/^listen=tls:127\.0\.0\.1:5061$/m, `listen=tls:127.0.0.1:${ports.tls}`],
  ];
  let out = config;
  for (const [pattern, line] of replacements) {
    if (!pattern.test(out)) throw new Error(`gateway/kamailio.cfg: no line matching ${pattern} to move`);
    out = out.replace(pattern, line);
  }
  return out;
}

async function copyGatewayConfig(dir: string, ports: ExtraKamailio["ports"]): Promise<string> {
  const source = path.dirname(gatewayConfigPath);
  for (const name of (await readdir(source)).filter((entry) => entry.endsWith(".cfg"))) {
    await copyFile(path.join(source, name), path.join(dir, name));
  }
  const main = path.join(dir, path.basename(gatewayConfigPath));
  await writeFile(main, withPorts(await readFile(main, "utf8"), ports));
  return main;
}

/**
 * Starts one more gateway Kamailio with the lab's settings (usrloc in memory, 64 MB shm) on free ports; resolves
 * once it answers core.version on JSON-RPC.
 */
export async function startExtraKamailio(
  options: { stateDir?: string; lab?: LabConfig; timeoutMs?: number } = {},
): Promise<ExtraKamailio> {
  const stateDir = options.stateDir ?? defaultStateDir;
  const lab = options.lab ?? (await readLabConfig(stateDir));
  const dir = await mkdtemp(path.join(tmpdir(), "kamdash-extra-kamailio-"));
  const ports = { sip: 0, tls: 0, ws: 0, wss: 0, rpc: 0 };
  const taken = new Set<number>();
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    ports[key] = port;
  }
  const configFile = await copyGatewayConfig(dir, ports);
  const defines = kamailioDefines(statePaths(stateDir), {
    dbUrl: lab.db,
    domain: lab.domain,
    origins: lab.origins,
    shmMb: 64,
    pkgMb: 16,
    openFilesLimit: 1024,
    usrlocDbOnly: false,
  });
  const args = ["-f", configFile, "-Y", dir, ...defines, "-A", "OPEN_FILES_LIMIT=1024"];
  try {
    await runCommand("kamailio", ["-c", ...args]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`extra Kamailio config rejected: ${(error as Error).message.slice(-2000)}`);
  }
  const logFile = path.join(dir, "kamailio.log");
  const pidFile = path.join(dir, "kamailio.pid");
  const pid = spawnDaemon("kamailio", ["-DD", "-E", "-m", "64", "-M", "16", "-P", pidFile, ...args], logFile);
  const rpcUrl = `http://127.0.0.1:${ports.rpc}/RPC`;
  const stop = async () => {
    await stopPid(pid, "kamailio");
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!(await kamailioAnswers(rpcUrl))) {
    if (!(await isPidRunning(pid)) || Date.now() > deadline) {
      const tail = await tailFile(logFile, 40);
      await stop();
      throw new Error(`extra Kamailio did not answer on ${rpcUrl}:\n${tail}`);
    }
    await sleep(100);
  }
  await writePid(pidFile, pid);
  return { rpcUrl, ports, pid, dir, stop };
}
