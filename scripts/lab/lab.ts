import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import {
  buildLabConfig,
  defaultOrigins,
  type KamailioMode,
  type LabConfig,
  labDomain,
  readKamailioMode,
  readKnownUsers,
  readLabConfigIfAny,
  writeKamailioMode,
  writeKnownUsers,
  writeLabConfig,
} from "./config";
import { canaryLabUsers, ensureKamailioDatabase, labUsers, provisionUsers } from "./db";
import {
  haltKamailio,
  type KamailioSettings,
  kamailioState,
  launchKamailio,
  openFilesLimit,
} from "./kamailio";
import { withLock } from "./lock";
import { defaultDbUrl, defaultStateDir, labPorts, statePaths } from "./paths";
import { probesFor } from "./probe";
import { listeningPorts, readPid, runCommand } from "./process";
import { rtpengineRunning, startRtpengine, stopRtpengine } from "./rtpengine";
import { ensureCertificate } from "./tls";

export {
  type KamailioMode,
  type LabConfig,
  type LabUser,
  readKamailioMode,
  readLabConfig,
  readLabConfigIfAny,
} from "./config";
export { defaultStateDir, labPorts, statePaths } from "./paths";

export interface LabOptions {
  /** state folder (default <repo>/.lab); give your own for a private lab */
  stateDir?: string;
  /** lab users 1001..1000+N; default: as many as lab.json already lists, else 4 */
  users?: number;
  /** run Kamailio and RTPEngine with `ip netns exec <netns>` (the caller creates the namespace) */
  netns?: string;
  /** Kamailio database URL, used by lab:up and by Kamailio (default KAMAILIO_DB_URL or the local one) */
  dbUrl?: string;
  /** extra WS/WSS Origins (also from env LAB_ORIGINS, comma-separated) */
  origins?: readonly string[];
  /**
   * usrloc db_mode 3 (DB only: contacts live in the `location` table of the lab database, emptied when Kamailio
   * starts) instead of the default db_mode 0 (memory only). labUp() without it (re)starts Kamailio in db_mode 0;
   * startKamailio() without it keeps the mode recorded by the last labUp().
   */
  usrlocDbOnly?: boolean;
  shmMb?: number;
  pkgMb?: number;
  log?: (line: string) => void;
}

export interface LabUpResult {
  config: LabConfig;
  kamailio: { pid: number; started: boolean };
  rtpengine: { pid: number; started: boolean };
}

export const labPortList: readonly number[] = [
  labPorts.sip,
  labPorts.tls,
  labPorts.ws,
  labPorts.wss,
  labPorts.rpc,
  labPorts.rtpengineNg,
  labPorts.rtpengineHttp,
];

const requiredBinaries: readonly { binary: string; debianPackage: string }[] = [
  { binary: "kamailio", debianPackage: "kamailio" },
  { binary: "rtpengine", debianPackage: "rtpengine-daemon" },
  { binary: "sipp", debianPackage: "sip-tester" },
  { binary: "openssl", debianPackage: "openssl" },
  { binary: "ip", debianPackage: "iproute2" },
  { binary: "ss", debianPackage: "iproute2" },
];

export class LabMissingBinariesError extends Error {
  constructor(readonly missing: readonly { binary: string; debianPackage: string }[]) {
    const packages = [...new Set(missing.map((entry) => entry.debianPackage))].join(" ");
    super(
      `missing: ${missing.map((entry) => entry.binary).join(", ")}\n` +
        `install with: sudo bash scripts/install-debian-deps.sh   (or: apt-get install -y ${packages})`,
    );
    this.name = "LabMissingBinariesError";
  }
}

const kamailioModuleDir = "/usr/lib/x86_64-linux-gnu/kamailio/modules";

/** Kamailio modules shipped in separate Debian packages. */
const requiredModules: readonly { binary: string; debianPackage: string }[] = [
  { binary: "websocket.so", debianPackage: "kamailio-websocket-modules" },
  { binary: "tls.so", debianPackage: "kamailio-tls-modules" },
  { binary: "db_postgres.so", debianPackage: "kamailio-postgres-modules" },
];

async function checkBinaries(): Promise<void> {
  const missing: { binary: string; debianPackage: string }[] = [];
  for (const entry of requiredBinaries) {
    try {
      await runCommand("sh", ["-c", `command -v ${entry.binary}`]);
    } catch {
      missing.push(entry);
    }
  }
  for (const entry of requiredModules) {
    if (!existsSync(path.join(kamailioModuleDir, entry.binary))) missing.push(entry);
  }
  if (missing.length > 0) throw new LabMissingBinariesError(missing);
}

function envOrigins(): string[] {
  return (process.env.LAB_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

function resolveDbUrl(options: LabOptions, previous: LabConfig | null): string {
  return options.dbUrl ?? process.env.KAMAILIO_DB_URL ?? previous?.db ?? defaultDbUrl;
}

async function settingsFor(
  config: LabConfig,
  options: LabOptions,
  mode: KamailioMode,
): Promise<KamailioSettings> {
  return {
    openFilesLimit: await openFilesLimit(),
    dbUrl: config.db,
    domain: config.domain,
    origins: config.origins,
    shmMb: options.shmMb ?? 1536,
    pkgMb: options.pkgMb ?? 32,
    usrlocDbOnly: mode.usrlocDbMode === 3,
  };
}

function modeOf(usrlocDbOnly: boolean): KamailioMode {
  return { usrlocDbMode: usrlocDbOnly ? 3 : 0 };
}

/** Brings the lab up (idempotent: running, answering processes with the current config are left alone). */
export async function labUp(options: LabOptions = {}): Promise<LabUpResult> {
  const log = options.log ?? (() => {});
  const paths = statePaths(options.stateDir ?? defaultStateDir);
  await checkBinaries();
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  return withLock(path.join(paths.stateDir, "lab.lock"), async () => {
    const previous = await readLabConfigIfAny(paths.stateDir);
    const dbUrl = resolveDbUrl(options, previous);
    await ensureKamailioDatabase(dbUrl);
    const known = [...(await readKnownUsers(paths.stateDir)), ...(previous?.users ?? [])];
    const users = labUsers(options.users ?? previous?.users.length ?? 4, known);
    const canaryUsers = canaryLabUsers([...known, ...(previous?.canary?.users ?? [])]);
    const remembered = new Map(known.map((user) => [user.username, user]));
    for (const user of [...users, ...canaryUsers]) remembered.set(user.username, user);
    await writeKnownUsers(paths.stateDir, [...remembered.values()]);
    await provisionUsers(dbUrl, labDomain, [...users, ...canaryUsers]);
    await ensureCertificate(paths.tlsDir, paths.certFile, paths.keyFile);
    // origins only grow, so a labUp() without extras does not restart a lab someone started with them
    const origins = [
      ...new Set([
        ...defaultOrigins,
        ...(previous?.origins ?? []),
        ...envOrigins(),
        ...(options.origins ?? []),
      ]),
    ];
    const config = buildLabConfig(dbUrl, users, origins, canaryUsers);
    const probes = probesFor(options.netns);

    let rtpengineStarted = false;
    if (!(await rtpengineRunning(paths, probes))) {
      await stopRtpengine(paths);
      await startRtpengine(paths, probes, options.netns);
      rtpengineStarted = true;
      log("rtpengine started");
    }

    const mode = modeOf(options.usrlocDbOnly ?? false);
    const settings = await settingsFor(config, options, mode);
    const state = await kamailioState(paths, settings, probes);
    // the mode is in the fingerprint, so a running (current) Kamailio already has it
    await writeKamailioMode(paths.stateDir, mode);
    let kamailioStarted = false;
    if (state !== "running") {
      if (state === "stale") log("kamailio config or settings changed (or RPC silent): restarting it");
      await haltKamailio(paths);
      await launchKamailio({ paths, settings, probes, netns: options.netns });
      kamailioStarted = true;
      log(`kamailio started (usrloc db_mode ${mode.usrlocDbMode})`);
    }
    await writeLabConfig(paths.stateDir, config);
    return {
      config,
      kamailio: { pid: (await readPid(paths.kamailioPid)) ?? 0, started: kamailioStarted },
      rtpengine: { pid: (await readPid(paths.rtpenginePid)) ?? 0, started: rtpengineStarted },
    };
  });
}

/** Stops exactly the recorded PIDs and checks that no lab port still has a listener. */
export async function labDown(options: Pick<LabOptions, "stateDir" | "netns" | "log"> = {}): Promise<void> {
  const paths = statePaths(options.stateDir ?? defaultStateDir);
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  await withLock(path.join(paths.stateDir, "lab.lock"), async () => {
    await haltKamailio(paths);
    await stopRtpengine(paths);
  });
  const deadline = Date.now() + 5_000;
  let busy = await listeningPorts(labPortList, options.netns);
  while (busy.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    busy = await listeningPorts(labPortList, options.netns);
  }
  if (busy.length > 0) throw new Error(`lab ports still have listeners after lab:down: ${busy.join(", ")}`);
  options.log?.("lab stopped; no listener left on the lab ports");
}

/** Stops only Kamailio (RTPEngine keeps running), e.g. to see a node go down. */
export async function stopKamailio(options: Pick<LabOptions, "stateDir"> = {}): Promise<void> {
  const paths = statePaths(options.stateDir ?? defaultStateDir);
  await withLock(path.join(paths.stateDir, "lab.lock"), () => haltKamailio(paths));
}

/** Stops only RTPEngine (Kamailio keeps running), e.g. to see a media server go silent; labUp() starts it again. */
export async function stopRtpengineOnly(options: Pick<LabOptions, "stateDir"> = {}): Promise<void> {
  const paths = statePaths(options.stateDir ?? defaultStateDir);
  await withLock(path.join(paths.stateDir, "lab.lock"), () => stopRtpengine(paths));
}

/** Starts Kamailio again from lab.json's settings and the recorded usrloc mode (no-op when it is running and
 * current). */
export async function startKamailio(options: LabOptions = {}): Promise<number> {
  const paths = statePaths(options.stateDir ?? defaultStateDir);
  return withLock(path.join(paths.stateDir, "lab.lock"), async () => {
    const config = await readLabConfigIfAny(paths.stateDir);
    if (!config) throw new Error(`no lab.json in ${paths.stateDir}: run lab:up first`);
    const probes = probesFor(options.netns);
    const mode =
      options.usrlocDbOnly === undefined
        ? ((await readKamailioMode(paths.stateDir)) ?? modeOf(false))
        : modeOf(options.usrlocDbOnly);
    const settings = await settingsFor(config, options, mode);
    if ((await kamailioState(paths, settings, probes)) !== "running") {
      await haltKamailio(paths);
      await writeKamailioMode(paths.stateDir, mode);
      await launchKamailio({ paths, settings, probes, netns: options.netns });
    }
    return (await readPid(paths.kamailioPid)) ?? 0;
  });
}

export { type LabStatus, labStatus, type ProcessStatus } from "./lab-status";
