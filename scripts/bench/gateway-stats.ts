import { readdir, readFile } from "node:fs/promises";
import { z } from "zod";
import type { KamailioClient } from "@/lib/kamailio/client";
import { statePaths } from "../lab/lab";

// What the lab's Kamailio says about its own limits and use, read once before and once after the clients open:
// core.tcp_info (TCP readers, max connections, open connections), core.shmmem (shared memory), usrloc and websocket
// statistics, the main process's RLIMIT_NOFILE (/proc/<pid>/limits) and its log's error lines since a mark.

const tcpInfo = z.object({
  readers: z.number(),
  max_connections: z.number(),
  max_tls_connections: z.number(),
  opened_connections: z.number(),
  opened_tls_connections: z.number(),
  write_queued_bytes: z.number(),
});
const shmInfo = z.object({
  total: z.number(),
  free: z.number(),
  used: z.number(),
  real_used: z.number(),
  max_used: z.number(),
});

export type GatewayStats = {
  tcp: z.infer<typeof tcpInfo>;
  shm: z.infer<typeof shmInfo>;
  /** usrloc:registered_users (AORs) and websocket:ws_current_connections */
  registeredUsers: number | null;
  wsCurrent: number | null;
  /** soft/hard "Max open files" of the Kamailio main process, null when its pid is unknown */
  openFiles: { soft: number; hard: number } | null;
  /** /proc/<pid>/fd count of the "tcp main process" (it holds every connection's descriptor) */
  openFds: number | null;
};

const fetched = z.record(z.string(), z.union([z.string(), z.number()]));
const psx = z.array(z.object({ PID: z.number(), DSC: z.string() }));

/** usrloc:registered_users, websocket:ws_current_connections (stats.fetch, values as strings). */
async function statValues(rpc: KamailioClient): Promise<{ users: number | null; ws: number | null }> {
  const reply = fetched.safeParse(await rpc.call("stats.fetch", ["usrloc:", "websocket:"]));
  const num = (key: string) => {
    const v = reply.success ? Number(reply.data[key]) : Number.NaN;
    return Number.isFinite(v) ? v : null;
  };
  return { users: num("usrloc.registered_users"), ws: num("websocket.ws_current_connections") };
}

async function countFds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  return readdir(`/proc/${pid}/fd`).then(
    (entries) => entries.length,
    () => null,
  );
}

/** Reads the gateway's limits and use; `stateDir` locates the lab's pid file. */
export async function readGatewayStats(rpc: KamailioClient, stateDir?: string): Promise<GatewayStats> {
  const tcp = tcpInfo.parse(await rpc.call("core.tcp_info", []));
  const shm = shmInfo.parse(await rpc.call("core.shmmem", []));
  const pid = Number((await readFile(statePaths(stateDir).kamailioPid, "utf8").catch(() => "")).trim());
  let openFiles: GatewayStats["openFiles"] = null;
  if (Number.isInteger(pid) && pid > 0) {
    const limits = await readFile(`/proc/${pid}/limits`, "utf8").catch(() => "");
    const m = /^Max open files\s+(\d+)\s+(\d+)/m.exec(limits);
    if (m) openFiles = { soft: Number(m[1]), hard: Number(m[2]) };
  }
  // tcp_main holds every TCP/TLS/WS connection's descriptor (core.psx names the process)
  const processes = psx.safeParse(await rpc.call("core.psx", []));
  const tcpMain = processes.success
    ? processes.data.find((p) => p.DSC === "tcp main process")?.PID
    : undefined;
  const stats = await statValues(rpc);
  return {
    tcp,
    shm,
    registeredUsers: stats.users,
    wsCurrent: stats.ws,
    openFiles,
    openFds: await countFds(tcpMain),
  };
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

/** One line per aspect, for the log and the results file. */
export function describeGatewayStats(s: GatewayStats): string[] {
  return [
    `TCP: ${s.tcp.opened_connections} open (${s.tcp.opened_tls_connections} TLS) of max ${s.tcp.max_connections} ` +
      `(TLS max ${s.tcp.max_tls_connections}), ${s.tcp.readers} TCP reader(s), ${s.tcp.write_queued_bytes} B queued`,
    `shm: ${mb(s.shm.real_used)} used of ${mb(s.shm.total)} (max used ${mb(s.shm.max_used)}, free ${mb(s.shm.free)})`,
    `usrloc registered_users ${s.registeredUsers ?? "?"}, ws_current_connections ${s.wsCurrent ?? "?"}`,
    `main process: open files limit ${s.openFiles ? `${s.openFiles.soft}/${s.openFiles.hard}` : "?"}, ` +
      `tcp main process fds open ${s.openFds ?? "?"}`,
  ];
}

/** The log's size now: pass it to `logErrorsSince` later. */
export async function logMark(stateDir?: string): Promise<number> {
  return (await readFile(statePaths(stateDir).kamailioLog).catch(() => Buffer.alloc(0))).length;
}

/** ERROR/CRITICAL lines Kamailio logged after `mark`, grouped by text with numbers blanked, most frequent first. */
export async function logErrorsSince(mark: number, stateDir?: string): Promise<[string, number][]> {
  const text = (await readFile(statePaths(stateDir).kamailioLog).catch(() => Buffer.alloc(0)))
    .subarray(mark)
    .toString("utf8");
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!/ERROR|CRITICAL|ALERT|WARNING/.test(line)) continue;
    const key = line
      .replace(/^.*?(ERROR|CRITICAL|ALERT|WARNING)/, "$1")
      .replace(/0x[0-9a-f]+/gi, "0x…")
      .replace(/\d+/g, "N")
      .slice(0, 200);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}
