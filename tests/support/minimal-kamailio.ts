// A throw-away Kamailio that is NOT the gateway config: JSON-RPC over HTTP on a free 127.0.0.1 port and only the
// modules a test asks for (no websocket, dialog, usrloc, rtpengine unless listed). Used to prove kamdash watches
// foreign Kamailio nodes, and to capture the replies of methods whose module is not loaded. It binds no SIP port
// and no FIFO, keeps its runtime files in its own temp dir, and is stopped by its recorded PID.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports";

const execFileAsync = promisify(execFile);

export interface MinimalKamailio {
  rpcUrl: string;
  pid: number;
  /** Stops Kamailio (SIGTERM, SIGKILL after 8 s) and removes its temp dir. */
  stop(): Promise<void>;
}

export interface MinimalKamailioOptions {
  /** Modules loaded before sl/xhttp/jsonrpcs, in this order (e.g. ["tm", "tmx", "kex", "counters"]). */
  extraModules?: readonly string[];
  /** Extra config lines after the loadmodule lines (modparams, counters…). */
  extraConfig?: readonly string[];
}

function config(port: number, options: MinimalKamailioOptions): string {
  const modules = [...(options.extraModules ?? []), "sl", "xhttp", "jsonrpcs"];
  return [
    "#!KAMAILIO",
    "debug=2",
    "log_stderror=yes",
    "children=1",
    "tcp_children=1",
    "auto_aliases=no",
    `listen=tcp:127.0.0.1:${port}`,
    "tcp_accept_no_cl=yes",
    ...modules.map((name) => `loadmodule "${name}.so"`),
    // HTTP only (no FIFO that could clash with another Kamailio), one JSON document per line like the lab
    'modparam("jsonrpcs", "transport", 1)',
    'modparam("jsonrpcs", "pretty_format", 0)',
    ...(options.extraConfig ?? []),
    "request_route { drop; }",
    "event_route[xhttp:request] { jsonrpc_dispatch(); }",
    "",
  ].join("\n");
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function answers(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "core.version", id: 1 }),
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export async function startMinimalKamailio(options: MinimalKamailioOptions = {}): Promise<MinimalKamailio> {
  const dir = await mkdtemp(path.join(tmpdir(), "kamdash-minimal-kamailio-"));
  const port = await freePort();
  const configFile = path.join(dir, "kamailio.cfg");
  const logFile = path.join(dir, "kamailio.log");
  await writeFile(configFile, config(port, options));
  try {
    await execFileAsync("kamailio", ["-c", "-f", configFile]);
  } catch (error) {
    const output = (error as { stderr?: string }).stderr ?? String(error);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`minimal Kamailio config rejected:\n${output.slice(-2000)}`);
  }
  const args = ["-DD", "-E", "-m", "32", "-M", "8", "-f", configFile, "-Y", dir];
  const child = spawn("kamailio", args, { stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error("could not start kamailio");
  const pid = child.pid;
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const gone = exited(child);
  const rpcUrl = `http://127.0.0.1:${port}/RPC`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
      await gone;
      clearTimeout(timer);
    }
    log.end();
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  while (!(await answers(rpcUrl))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const tail = (await readFile(logFile, "utf8").catch(() => "")).slice(-2000);
      await stop();
      throw new Error(`minimal Kamailio did not answer on ${rpcUrl}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { rpcUrl, pid, stop };
}
