import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

// A cross-process lock file so two runs of the gateway suite against the shared lab do not overlap
// (they would share lab users and disturb each other's branch-counter deltas).

function holderAlive(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, "utf8").trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock (waiting for a live holder up to `timeoutMs`); returns the release function. */
export async function acquireSuiteLock(lockPath: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!holderAlive(lockPath)) {
      rmSync(lockPath, { force: true }); // left behind by a run that was killed
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${lockPath} still held by PID ${readFileSync(lockPath, "utf8")} after ${timeoutMs} ms`,
      );
    }
    if (!announced) {
      console.warn(`another gateway suite run holds ${lockPath}; waiting for it`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
