import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acquireDataDirLock,
  DataDirInUseError,
  isProcessAlive,
  LOCK_FILE_NAME,
} from "@/lib/db/data-dir-lock";

let dataDir: string;
let lockPath: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "kamdash-lock-"));
  lockPath = path.join(dataDir, LOCK_FILE_NAME);
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** The PID of a process that has exited (and been reaped), so nothing else answers to it right now. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ["-e", "process.exit(0)"]);
  const pid = result.pid;
  if (pid === undefined || isProcessAlive(pid)) throw new Error("could not get a dead PID");
  return pid;
}

describe("acquireDataDirLock", () => {
  it("creates the lock file holding our PID and removes it on release", () => {
    const lock = acquireDataDirLock(dataDir);
    expect(lock.path).toBe(lockPath);
    expect(readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it("refuses while another live process holds it, naming the folder and the PID", async () => {
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      const pid = holder.pid;
      if (pid === undefined) throw new Error("no child PID");
      writeFileSync(lockPath, `${pid}\n`);
      expect(() => acquireDataDirLock(dataDir)).toThrowError(DataDirInUseError);
      expect(() => acquireDataDirLock(dataDir)).toThrowError(
        `data folder ${dataDir} is in use by process ${pid}`,
      );
      expect(readFileSync(lockPath, "utf8").trim()).toBe(String(pid));
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over a lock left by a dead process", () => {
    writeFileSync(lockPath, `${deadPid()}\n`);
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock file with garbage in it", () => {
    writeFileSync(lockPath, "not a pid");
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock holding our own PID (a restarted container is PID 1 again)", () => {
    writeFileSync(lockPath, `${process.pid}\n`);
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it("does not delete a lock another process took after ours was released", () => {
    const lock = acquireDataDirLock(dataDir);
    writeFileSync(lockPath, "424242\n");
    lock.release();
    expect(readFileSync(lockPath, "utf8").trim()).toBe("424242");
  });
});
