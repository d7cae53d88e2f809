import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export const LOCK_FILE_NAME = ".kamdash.lock";

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `data folder ${dataDir} is in use by process ${pid} (lock file ${path.join(dataDir, LOCK_FILE_NAME)}). ` +
        "Stop that kamdash first, or use another KAMDASH_DATA_DIR, or set DATABASE_URL to a PostgreSQL server.",
    );
  }
}

export interface DataDirLock {
  path: string;
  release(): void;
}

/** True when a process with this PID exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLockPid(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, "wx", 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the exclusive lock on a PGlite data folder (PGlite has no cross-process locking: a second
 * process would silently lose the first one's writes). The folder must exist. A lock left by a dead
 * process, or by an earlier process that had our PID (containers restart as PID 1), is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockPath)) return makeLock(lockPath);
    const holder = readLockPid(lockPath);
    if (holder !== null && holder !== process.pid && isProcessAlive(holder)) {
      throw new DataDirInUseError(dataDir, holder);
    }
    // Stale. Re-read right before removing so we do not delete a lock another process just wrote.
    if (readLockPid(lockPath) === holder) {
      try {
        unlinkSync(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  }
  const holder = readLockPid(lockPath);
  throw new Error(`could not take the lock ${lockPath} (held by ${holder ?? "unknown"}); try again`);
}

function makeLock(lockPath: string): DataDirLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener("exit", release);
    if (readLockPid(lockPath) !== process.pid) return;
    try {
      unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  };
  // Best effort on a normal exit; after SIGKILL the stale-PID takeover covers it.
  process.on("exit", release);
  return { path: lockPath, release };
}
