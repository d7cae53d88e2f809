import { getDb } from "@/lib/db";
import { createKamailioClient, type KamailioClient } from "@/lib/kamailio/client";
import { isKamailioRpcError } from "@/lib/kamailio/errors";
import { flattenContacts } from "@/lib/kamailio/methods/ul-dump";
import { readPollerConfig } from "@/lib/poller/config";
import { demandProbes } from "@/lib/poller/live";
import { type ConnectionRow, connectionRows } from "@/lib/troubleshoot/connection-rows";
import { type RegistrationRow, registrationRows } from "@/lib/troubleshoot/registration-rows";
import type { SubscriberKey } from "./store";

// What removing a user does on the live nodes: ul.rm of its AOR (its registrations) and ws.close of the
// connections its contacts are bound to, on every enabled node, read fresh from ul.dump (not from the snapshot,
// which the CLI does not have).

export type LiveNode = { name: string; rpcUrl: string };
export type LiveDeps = {
  nodes: () => Promise<LiveNode[]>;
  clientFor: (node: LiveNode) => KamailioClient;
};

export function defaultLiveDeps(): LiveDeps {
  return {
    nodes: async () =>
      (await getDb()).kamailioNode.findMany({
        where: { enabled: true },
        select: { name: true, rpcUrl: true },
        orderBy: { name: "asc" },
      }),
    clientFor: (node) => {
      const config = readPollerConfig();
      return createKamailioClient({
        url: node.rpcUrl,
        timeoutMs: config.rpcTimeoutMs,
        maxReplyBytes: config.rpcMaxReplyBytes,
      });
    },
  };
}

/**
 * usrloc keys an AOR as "user" (use_domain 0, as in the lab) or "user@domain" (use_domain 1): both are this
 * subscriber's, the bare form on a single-domain proxy.
 */
export function aorMatches(usrlocAor: string, key: SubscriberKey): boolean {
  const at = usrlocAor.indexOf("@");
  if (at === -1) return usrlocAor === key.username;
  return (
    usrlocAor.slice(0, at) === key.username &&
    usrlocAor.slice(at + 1).toLowerCase() === key.domain.toLowerCase()
  );
}

export type DropOutcome = {
  registrationsDropped: number;
  socketsClosed: number;
  /** Per node, what could not be done ("edge1: node did not answer: …"); the removal itself stands. */
  failures: string[];
};

function reason(error: unknown): string {
  if (isKamailioRpcError(error))
    return error.kind === "rpc"
      ? (error.rpcMessage ?? error.message)
      : `node did not answer: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Drops the subscriber's registrations (ul.rm) and, with `closeSockets`, closes their connections (ws.close). */
export async function dropRegistrations(
  deps: LiveDeps,
  key: SubscriberKey,
  closeSockets: boolean,
): Promise<DropOutcome> {
  const outcome: DropOutcome = { registrationsDropped: 0, socketsClosed: 0, failures: [] };
  for (const node of await deps.nodes()) {
    const client = deps.clientFor(node);
    try {
      const contacts = flattenContacts(await client.ulDump()).filter(
        (c) => aorMatches(c.aor, key) && (c.expiresState === "active" || c.expiresState === "permanent"),
      );
      const aors = new Map(
        contacts.map((c) => [`${c.domain}\u0000${c.aor}`, { table: c.domain, aor: c.aor }]),
      );
      for (const { table, aor } of aors.values()) {
        await client.call("ul.rm", [table, aor]);
      }
      outcome.registrationsDropped += contacts.length;
      if (closeSockets) {
        for (const id of new Set(contacts.map((c) => c.tcpconnId).filter((id) => id >= 0))) {
          try {
            await client.wsClose(id);
            outcome.socketsClosed += 1;
          } catch (error) {
            outcome.failures.push(`${node.name}: connection ${id} not closed: ${reason(error)}`);
          }
        }
      }
      if (contacts.length > 0) demandProbes(node.name, ["contacts", "connections", "websockets"]);
    } catch (error) {
      outcome.failures.push(`${node.name}: ${reason(error)}`);
    }
  }
  return outcome;
}

/**
 * The subscriber's contacts and their connections read now from every enabled node (ul.dump + core.tcp_list):
 * what `kamdash user show` prints, since the CLI has no poller snapshot. A node that fails is left out and named.
 */
export async function readLiveState(
  deps: LiveDeps,
  key: SubscriberKey,
): Promise<{ registrations: RegistrationRow[]; connections: ConnectionRow[]; failures: string[] }> {
  const registrations: RegistrationRow[] = [];
  const connections: ConnectionRow[] = [];
  const failures: string[] = [];
  for (const node of await deps.nodes()) {
    const client = deps.clientFor(node);
    try {
      const [domains, tcp] = await Promise.all([client.ulDump(), client.tcpList()]);
      const contacts = flattenContacts(domains).filter(
        (c) => aorMatches(c.aor, key) && (c.expiresState === "active" || c.expiresState === "permanent"),
      );
      const ids = new Set(contacts.map((c) => c.tcpconnId));
      registrations.push(...registrationRows(node.name, contacts, tcp));
      connections.push(
        ...connectionRows(
          node.name,
          tcp.filter((c) => ids.has(c.id)),
          contacts,
          null,
        ),
      );
    } catch (error) {
      failures.push(`${node.name}: ${reason(error)}`);
    }
  }
  return { registrations, connections, failures };
}
