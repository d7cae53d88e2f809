import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataDirInUseError, LOCK_FILE_NAME } from "@/lib/db/data-dir-lock";
import { openDatabase } from "@/lib/db/open";
import { makeTempDir, removeDir } from "./storage-support";

let dataDir: string;
let holder: ChildProcess | undefined;

beforeEach(() => {
  dataDir = makeTempDir("datadir");
});
afterEach(async () => {
  if (holder && holder.exitCode === null && holder.signalCode === null) {
    const exited = new Promise((resolve) => holder?.once("exit", resolve));
    holder.kill("SIGKILL");
    await exited;
  }
  holder = undefined;
  removeDir(dataDir);
});

/** Starts storage-holder.ts in its own node process (one PID: tsx as a loader, not a wrapper). */
async function startHolder(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join("tests", "integration", "storage-holder.ts")],
    {
      env: { ...process.env, KAMDASH_DATA_DIR: dataDir, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}: ${stderr}`)));
  });
  return child;
}

describe("one process per PGlite data folder", () => {
  it("refuses a second process while the first is alive, and takes over after it was killed", async () => {
    holder = await startHolder();
    const pid = holder.pid;
    expect(readFileSync(path.join(dataDir, LOCK_FILE_NAME), "utf8").trim()).toBe(String(pid));

    // In this process, through the same code the server uses.
    const refused = openDatabase({ kind: "pglite", dataDir });
    await expect(refused).rejects.toThrowError(DataDirInUseError);
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toThrowError(
      `data folder ${dataDir} is in use by process ${pid}`,
    );

    // And a third process: the CLI says so and fails.
    const cli = spawnSync(process.execPath, ["scripts/kamdash.mjs", "node", "list"], {
      env: { ...process.env, KAMDASH_DATA_DIR: dataDir, DATABASE_URL: "" },
      encoding: "utf8",
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`is in use by process ${pid}`);

    // SIGKILL leaves the lock file behind with a dead PID; the next process takes it over and finds
    // the data the killed one wrote.
    const exited = new Promise((resolve) => holder?.once("exit", resolve));
    holder.kill("SIGKILL");
    await exited;
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(true);

    const reopened = await openDatabase({ kind: "pglite", dataDir });
    try {
      expect(reopened.migrations.applied).toEqual([]);
      expect(readFileSync(path.join(dataDir, LOCK_FILE_NAME), "utf8").trim()).toBe(String(process.pid));
      const node = await reopened.prisma.kamailioNode.findUnique({ where: { name: "from-holder" } });
      expect(node?.rpcUrl).toBe("http://127.0.0.1:5080/RPC");
    } finally {
      await reopened.close();
    }
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it("creates a missing parent folder for the data folder (PGlite's mkdir is not recursive)", async () => {
    const nested = path.join(dataDir, "a", "b");
    const opened = await openDatabase({ kind: "pglite", dataDir: nested });
    try {
      expect(opened.migrations.applied.length).toBeGreaterThan(0);
      expect(existsSync(path.join(nested, "pglite", "PG_VERSION"))).toBe(true);
    } finally {
      await opened.close();
    }
  });
});
