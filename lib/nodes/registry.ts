import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { NodeSource, NodeSpec } from "./node-spec";
import { type NodeProbeSettings, toNodeProbeSettings } from "./probe-settings";

/** The client or an interactive transaction's client (so a change and its audit row commit together). */
export type NodeStore = Pick<PrismaClient, "kamailioNode">;

export interface KamailioNodeRow {
  id: number;
  name: string;
  rpcUrl: string;
  enabled: boolean;
  source: string;
  /** Handshake probe target and interval set on this node (null: KAMDASH_HANDSHAKE or the lab default). */
  handshakeUrl: string | null;
  handshakeOrigin: string | null;
  handshakeIntervalS: number | null;
  handshakeVerifyTls: boolean;
  /** Per media server NG / metrics address overrides, as stored (validate with lib/nodes/probe-settings). */
  rtpengineAddresses: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export class NodeNotFoundError extends Error {
  override name = "NodeNotFoundError";
  constructor(readonly nodeName: string) {
    super(`no node named "${nodeName}"`);
  }
}

export class NodeExistsError extends Error {
  override name = "NodeExistsError";
  constructor(readonly nodeName: string) {
    super(`a node named "${nodeName}" already exists`);
  }
}

export async function listNodes(db: NodeStore): Promise<KamailioNodeRow[]> {
  return db.kamailioNode.findMany({ orderBy: { name: "asc" } });
}

/** Every node's probe settings by name (the poller re-reads them whenever it reloads its node list). */
export async function listNodeProbeSettings(db: NodeStore): Promise<Map<string, NodeProbeSettings>> {
  const rows = await db.kamailioNode.findMany({
    select: {
      name: true,
      handshakeUrl: true,
      handshakeOrigin: true,
      handshakeIntervalS: true,
      handshakeVerifyTls: true,
      rtpengineAddresses: true,
    },
  });
  return new Map(rows.map((row) => [row.name, toNodeProbeSettings(row)]));
}

/** Adds a node; refuses a name that exists (use upsertNode to replace). */
export async function addNode(db: NodeStore, spec: NodeSpec, source: NodeSource): Promise<KamailioNodeRow> {
  const existing = await db.kamailioNode.findUnique({ where: { name: spec.name } });
  if (existing) throw new NodeExistsError(spec.name);
  return db.kamailioNode.create({ data: { name: spec.name, rpcUrl: spec.rpcUrl, source, enabled: true } });
}

/** Creates the node or points an existing one at this URL, enabled, owned by `source`. */
export async function upsertNode(
  db: NodeStore,
  spec: NodeSpec,
  source: NodeSource,
): Promise<KamailioNodeRow> {
  return db.kamailioNode.upsert({
    where: { name: spec.name },
    create: { name: spec.name, rpcUrl: spec.rpcUrl, source, enabled: true },
    update: { rpcUrl: spec.rpcUrl, source, enabled: true },
  });
}

/** Removes a node and, through the foreign keys, its samples; its events are kept without a node. */
export async function removeNode(db: NodeStore, name: string): Promise<KamailioNodeRow> {
  const existing = await db.kamailioNode.findUnique({ where: { name } });
  if (!existing) throw new NodeNotFoundError(name);
  return db.kamailioNode.delete({ where: { name } });
}

/**
 * Sets a node's probe settings (lib/nodes/probe-settings.ts probeSettingsData). Seeding (KAMAILIO_NODES, the lab)
 * never touches these columns, so they survive restarts whatever the node's source.
 */
export async function setNodeProbeSettings(
  db: NodeStore,
  name: string,
  data: Record<string, unknown>,
): Promise<KamailioNodeRow> {
  const existing = await db.kamailioNode.findUnique({ where: { name } });
  if (!existing) throw new NodeNotFoundError(name);
  return db.kamailioNode.update({ where: { name }, data });
}

export async function setNodeEnabled(
  db: NodeStore,
  name: string,
  enabled: boolean,
): Promise<KamailioNodeRow> {
  const existing = await db.kamailioNode.findUnique({ where: { name } });
  if (!existing) throw new NodeNotFoundError(name);
  return db.kamailioNode.update({ where: { name }, data: { enabled } });
}
