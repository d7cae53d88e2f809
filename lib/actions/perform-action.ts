import { type AuditAction, type AuditStore, recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/actor";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError, notFound } from "@/lib/http/errors";
import type { KamailioClient } from "@/lib/kamailio/client";
import { isKamailioRpcError } from "@/lib/kamailio/errors";
import { demandProbes } from "@/lib/poller/live";
import { ACTION_PERMISSION, type ActionRequest } from "./action-schema";

// One path for every operator action on a live node: permission, the RPC call, the audit row (also when the node
// refuses), and a demand that the node's lists be read again so pages show the result on the next cycle.

export type ActionDeps = {
  db: Pick<PrismaClient, "kamailioNode"> & AuditStore;
  /** The node's RPC client (credentials stay inside it). */
  clientFor: (node: { name: string; rpcUrl: string }) => KamailioClient;
};

export type ActionOutcome = {
  ok: boolean;
  action: ActionRequest["action"];
  node: string;
  /** The audit target, e.g. "connection:edge1/42", "dialog:edge1/3:1207", "rtpengine:edge1/udp:10.0.0.5:22222". */
  target: string;
  /** What Kamailio said when it refused ("Unknown connection ID", "Dialog not found"…), or what was done. */
  message: string;
};

const REFRESH_AFTER: Record<ActionRequest["action"], string[]> = {
  "ws.close": ["connections", "websockets", "contacts"],
  "ws.ping": [],
  "dlg.end": ["dialogs", "dialog-list", "rtpengine-ng"],
  "rtpengine.enable": ["rtpengine", "rtpengine-ng"],
};

function describe(request: ActionRequest): { audit: AuditAction; target: string; done: string } {
  switch (request.action) {
    case "ws.close":
      return {
        audit: "connection.close",
        target: `connection:${request.node}/${request.connectionId}`,
        done: "closed",
      };
    case "ws.ping":
      return {
        audit: "connection.ping",
        target: `connection:${request.node}/${request.connectionId}`,
        done: "ping sent",
      };
    case "dlg.end":
      return {
        audit: "dialog.end",
        target: `dialog:${request.node}/${request.hEntry}:${request.hId}`,
        done: "BYE sent to both legs",
      };
    case "rtpengine.enable":
      return {
        audit: request.enabled ? "rtpengine.enable" : "rtpengine.disable",
        target: `rtpengine:${request.node}/${request.url}`,
        done: request.enabled ? "enabled" : "disabled",
      };
  }
}

async function call(client: KamailioClient, request: ActionRequest): Promise<string | null> {
  switch (request.action) {
    case "ws.close":
      await client.wsClose(request.connectionId);
      return null;
    case "ws.ping":
      await client.wsPing(request.connectionId);
      return null;
    case "dlg.end":
      await client.dlgEndDlg({ hEntry: request.hEntry, hId: request.hId });
      return null;
    case "rtpengine.enable": {
      const result = await client.rtpengineEnable(request.url, request.enabled);
      // Kamailio answers with the state it ended in; a mismatch is reported, not hidden
      return result.enabled === request.enabled
        ? null
        : `Kamailio reports ${result.url} ${result.enabled ? "enabled" : "disabled"}`;
    }
  }
}

/**
 * Runs one action and audits it. Returns ok false (audited as "failed: …") when the node refused or did not
 * answer. Throws ApiError 403 without the permission (nothing audited, nothing sent) and 404 for an unknown node.
 */
export async function performAction(
  deps: ActionDeps,
  actor: Actor,
  request: ActionRequest,
): Promise<ActionOutcome> {
  if (!can(actor, ACTION_PERMISSION[request.action]))
    throw new ApiError(403, `your role may not run ${request.action}`);
  const row = await deps.db.kamailioNode.findUnique({ where: { name: request.node } });
  if (!row) throw notFound(`Node "${request.node}"`);
  const { audit, target, done } = describe(request);
  let failure: string | null;
  try {
    failure = await call(deps.clientFor(row), request);
  } catch (error) {
    if (!isKamailioRpcError(error)) throw error;
    failure =
      error.kind === "rpc" ? (error.rpcMessage ?? error.message) : `node did not answer: ${error.message}`;
  }
  const detail = request.action === "dlg.end" && request.callId ? { callId: request.callId } : undefined;
  await recordAudit(deps.db, actor, {
    action: audit,
    target,
    result: failure === null ? "ok" : `failed: ${failure}`,
    ...(detail ? { detail } : {}),
  });
  if (failure === null && REFRESH_AFTER[request.action].length > 0)
    demandProbes(request.node, REFRESH_AFTER[request.action]);
  return {
    ok: failure === null,
    action: request.action,
    node: request.node,
    target,
    message: failure ?? done,
  };
}
