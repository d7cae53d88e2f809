import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

const replicaKey = Symbol.for("kamdash.replica.id");
type ReplicaGlobal = typeof globalThis & { [replicaKey]?: string };

/**
 * This process's replica id, `<hostname>-<pid>-<8 hex>`: the PostgreSQL application_name of its connections
 * (so sample.written_by and pg_stat_activity name it), the owner in node_lease, and /api/health's replica.id.
 */
export function replicaId(): string {
  const g = globalThis as ReplicaGlobal;
  // application_name keeps 63 bytes: cut the host name, never the pid and random part that make it unique
  g[replicaKey] ??= `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(4).toString("hex")}`;
  return g[replicaKey];
}
