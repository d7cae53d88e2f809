import { getNodeMedia } from "@/lib/media/media-watch";
import { demandProbes } from "@/lib/poller/live";
import { type ConnectionRow, connectionRows } from "./connection-rows";
import { type DialogRow, dialogRows } from "./dialog-rows";
import { allNodeLists, type NodeLists } from "./list-store";
import { type RegistrationRow, registrationRows } from "./registration-rows";

// Every node's rows for the troubleshooting pages and API, built from the poller's latest lists, with each list's
// age so a page can say how old what it shows is, and why a node is missing.

export type ListAge = {
  node: string;
  /** ISO time each list was read; null: not read yet (probe failing or not due yet since kamdash started). */
  connectionsAt: string | null;
  contactsAt: string | null;
  dialogsAt: string | null;
};

export function listAges(lists: readonly NodeLists[] = allNodeLists()): ListAge[] {
  return lists
    .map((l) => ({
      node: l.node,
      connectionsAt: l.connections?.at ?? null,
      contactsAt: l.contacts?.at ?? null,
      dialogsAt: l.dialogs?.at ?? null,
    }))
    .sort((a, b) => a.node.localeCompare(b.node));
}

/** Connections of every node whose core.tcp_list has been read (contacts and ws.dump joined when read too). */
export function fleetConnectionRows(lists: readonly NodeLists[] = allNodeLists()): ConnectionRow[] {
  return lists.flatMap((l) =>
    l.connections
      ? connectionRows(
          l.node,
          l.connections.list,
          l.contacts?.list ?? [],
          l.wsDump?.list ?? null,
          l.firstSeen,
        )
      : [],
  );
}

/** Contacts of every node whose ul.dump has been read; "connection gone" needs core.tcp_list too. */
export function fleetRegistrationRows(lists: readonly NodeLists[] = allNodeLists()): RegistrationRow[] {
  return lists.flatMap((l) =>
    l.contacts ? registrationRows(l.node, l.contacts.list, l.connections?.list ?? null) : [],
  );
}

/** Live dialogs of every node whose dlg.list has been read; `nowS` (Unix s) only for Kamailio before 5.6. */
export function fleetDialogRows(nowS: number, lists: readonly NodeLists[] = allNodeLists()): DialogRow[] {
  return lists.flatMap((l) =>
    l.dialogs ? dialogRows(l.node, l.dialogs.list, nowS, getNodeMedia(l.node)?.calls) : [],
  );
}

/**
 * Asks the poller to read ul.dump and dlg.list on each node's next cycle where the ones shown are older than
 * `maxAgeMs` (default 5 s): a troubleshooting page being looked at gets fresh heavy lists within a poll interval
 * instead of the heavy cadence (30 s). Bounded by how often pages are loaded.
 */
export function demandFreshLists(maxAgeMs = 5_000, now = Date.now()): void {
  for (const lists of allNodeLists()) {
    const oldest = Math.min(
      lists.contacts ? Date.parse(lists.contacts.at) : 0,
      lists.dialogs ? Date.parse(lists.dialogs.at) : 0,
    );
    if (now - oldest > maxAgeMs) demandProbes(lists.node, ["contacts", "dialog-list"]);
  }
}

/** Per node, why call media could not be read in the last cycle, or how many calls waited for a later one. */
export function mediaNotes(lists: readonly NodeLists[] = allNodeLists()): string[] {
  return lists.flatMap((l) => {
    const media = getNodeMedia(l.node);
    if (!media) return [];
    const notes: string[] = [];
    if (media.problem) notes.push(`${l.node}: call media not read: ${media.problem}`);
    if (media.deferred > 0)
      notes.push(`${l.node}: ${media.deferred} calls over the per-cycle NG query cap read in later cycles`);
    return notes;
  });
}
