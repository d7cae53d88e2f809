import { execFile } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./ports";

// A PostgreSQL cluster of a test's own (initdb + pg_ctl from /usr/lib/postgresql/<version>/bin, in a temp folder,
// on a free port of 127.0.0.1, trust auth), for fault tests that stop and start the server. The shared server on
// 5432 is never touched: every pg_ctl call names this cluster's folder, and the test records its postmaster PID.
// As root, the cluster runs as the `postgres` user (initdb refuses root).

const run = promisify(execFile);

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined) throw new Error(`no PostgreSQL under ${root}`);
  return path.join(root, versions[0], "bin");
}

export interface PrivatePostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** The postmaster's PID while it runs (from postmaster.pid), else null. */
  pid(): number | null;
  createDatabase(name: string): Promise<void>;
  /** `pg_ctl stop -m fast` (waits until it is down). */
  stop(): Promise<void>;
  /** `pg_ctl start` on the same folder and port (waits until it accepts connections). */
  start(): Promise<void>;
  /** Stops it (when running) and removes its folder. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(label: string): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), `kamdash-pg-${label}-`));
  const dataDir = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const pwd = await run("id", ["-u", "postgres"]);
    const gid = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(pwd.stdout.trim()), Number(gid.stdout.trim()));
    chmodSync(dir, 0o700);
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args])
      : run(path.join(bin, tool), args);
  const port = await freePort();
  await pgRun("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`;
  const start = async () => {
    await pgRun("pg_ctl", [
      "-D",
      dataDir,
      "-o",
      serverOptions,
      "-l",
      path.join(dir, "server.log"),
      "-w",
      "start",
    ]);
  };
  const pid = (): number | null => {
    try {
      const first = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "";
      const value = Number.parseInt(first, 10);
      return Number.isInteger(value) && value > 0 ? value : null;
    } catch {
      return null;
    }
  };
  const stop = async () => {
    await pgRun("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  };
  await start();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    pid,
    async createDatabase(name) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
    },
    stop,
    start,
    async destroy() {
      if (pid() !== null) await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
