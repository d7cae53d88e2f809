import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/require-permission";
import { getDb } from "@/lib/db";
import { ApiError, notFound } from "@/lib/http/errors";
import { log } from "@/lib/log";
import { getPoller } from "@/lib/poller/start";
import { displayRpcUrl, nodeSpecSchema } from "./node-spec";
import {
  type NodeProbeSettings,
  type ProbeSettingsInput,
  probeSettingsData,
  probeSettingsInput,
  toNodeProbeSettings,
} from "./probe-settings";
import {
  addNode,
  type KamailioNodeRow,
  NodeExistsError,
  NodeNotFoundError,
  removeNode,
  setNodeEnabled,
  setNodeProbeSettings,
} from "./registry";

// Changing the watched nodes while the server runs (admin page, JSON API): permission check, the change and its
// audit row in one transaction, then the running poller reloads its jobs so the change applies within one
// poll interval. With the embedded database this is the only way to change nodes while the server runs.

export const addNodeInput = nodeSpecSchema;
export const setNodeEnabledInput = z.object({
  enabled: z.boolean({ error: "enabled must be true or false" }),
});

/** A node as the admin page and API show it: the RPC URL without credentials. */
export type AdminNode = { name: string; rpcUrl: string; enabled: boolean; source: string };

function toAdminNode(row: KamailioNodeRow): AdminNode {
  return { name: row.name, rpcUrl: displayRpcUrl(row.rpcUrl), enabled: row.enabled, source: row.source };
}

function nodeExists(name: string): ApiError {
  return new ApiError(409, `A node named "${name}" already exists`);
}

function asApiError(error: unknown): unknown {
  if (error instanceof NodeExistsError) return nodeExists(error.nodeName);
  if (error instanceof NodeNotFoundError) return notFound(`Node "${error.nodeName}"`);
  return error;
}

/** A concurrent add of the same name passes the existence check and hits the unique index instead. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Tells this process's poller to reload its node list now; a failure is logged, the change stays. */
async function reloadPoller(): Promise<void> {
  try {
    await (await getPoller())?.notify();
  } catch (error) {
    log.error({ err: error }, "could not notify the poller of a node change");
  }
}

export async function addNodeAs(actor: Actor, input: unknown, source: "ui" | "api"): Promise<AdminNode> {
  requirePermission(actor, "nodes.write");
  const spec = addNodeInput.parse(input);
  const db = await getDb();
  const node = await db
    .$transaction(async (tx) => {
      const created = await addNode(tx, spec, source);
      await recordAudit(tx, actor, {
        action: "node.add",
        target: `node:${created.name}`,
        detail: { rpcUrl: displayRpcUrl(created.rpcUrl), source },
      });
      return created;
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? nodeExists(spec.name) : asApiError(error);
    });
  await reloadPoller();
  return toAdminNode(node);
}

/** Enables or disables polling of a node; setting the state it already has changes (and records) nothing. */
export async function setNodeEnabledAs(actor: Actor, name: string, input: unknown): Promise<AdminNode> {
  requirePermission(actor, "nodes.write");
  const { enabled } = setNodeEnabledInput.parse(input);
  const db = await getDb();
  const { node, changed } = await db
    .$transaction(async (tx) => {
      const current = await tx.kamailioNode.findUnique({ where: { name } });
      if (!current) throw new NodeNotFoundError(name);
      if (current.enabled === enabled) return { node: current, changed: false };
      const updated = await setNodeEnabled(tx, name, enabled);
      await recordAudit(tx, actor, {
        action: enabled ? "node.enable" : "node.disable",
        target: `node:${name}`,
      });
      return { node: updated, changed: true };
    })
    .catch((error: unknown) => {
      throw asApiError(error);
    });
  if (changed) await reloadPoller();
  return toAdminNode(node);
}

/** Removes a node and its samples (its events stay, without a node). */
export async function removeNodeAs(actor: Actor, name: string): Promise<AdminNode> {
  requirePermission(actor, "nodes.write");
  const db = await getDb();
  const node = await db
    .$transaction(async (tx) => {
      const removed = await removeNode(tx, name);
      await recordAudit(tx, actor, {
        action: "node.remove",
        target: `node:${name}`,
        detail: { rpcUrl: displayRpcUrl(removed.rpcUrl), source: removed.source },
      });
      return removed;
    })
    .catch((error: unknown) => {
      throw asApiError(error);
    });
  await reloadPoller();
  return toAdminNode(node);
}

/** A node's probe settings as the admin page and API show them. */
export type AdminNodeProbes = { name: string; source: string; probes: NodeProbeSettings };

/**
 * Sets a node's handshake target/interval and/or its per-instance RTPEngine addresses (`probeSettingsInput`; a part
 * left out is unchanged). Allowed for every source: seeding never writes these columns. One audit row
 * "node.probes" with the settings before and after; the poller reloads and applies them from its next cycle.
 * Throws ZodError (422), 404 for an unknown node.
 */
export async function setNodeProbeSettingsAs(
  actor: Actor,
  name: string,
  input: unknown,
): Promise<AdminNodeProbes> {
  requirePermission(actor, "nodes.write");
  const settings: ProbeSettingsInput = probeSettingsInput.parse(input);
  const db = await getDb();
  const { node, changed } = await db
    .$transaction(async (tx) => {
      const current = await tx.kamailioNode.findUnique({ where: { name } });
      if (!current) throw new NodeNotFoundError(name);
      const before = toNodeProbeSettings(current);
      const updated = await setNodeProbeSettings(tx, name, probeSettingsData(settings));
      const after = toNodeProbeSettings(updated);
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      if (changed) {
        await recordAudit(tx, actor, {
          action: "node.probes",
          target: `node:${name}`,
          detail: JSON.parse(JSON.stringify({ before, after })),
        });
      }
      return { node: updated, changed };
    })
    .catch((error: unknown) => {
      throw asApiError(error);
    });
  if (changed) await reloadPoller();
  return { name: node.name, source: node.source, probes: toNodeProbeSettings(node) };
}
