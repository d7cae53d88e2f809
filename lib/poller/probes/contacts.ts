import { flattenContacts, type UlContact } from "@/lib/kamailio/methods/ul-dump";
import type { Probe } from "./types";

export type RegisteredContact = UlContact & { aor: string; domain: string };

export type ContactsResult = {
  /** Live contacts (expired and deleted ones left out). */
  contacts: RegisteredContact[];
  aors: number;
};

/**
 * The full ul.dump: every contact with its Tcpconn-Id (which joins it to its WS/WSS connection), User-Agent and
 * Received address. Only the per-user views and the WS/WSS registration split need it, so it runs on the heavy
 * cadence, within the heavy reply budget; the registration counts come from the registrations probe every cycle.
 */
export const contactsProbe: Probe<ContactsResult> = {
  name: "contacts",
  cadence: "heavy",
  async collect({ rpc, heavyMaxReplyBytes }) {
    const domains = await rpc.ulDump(heavyMaxReplyBytes ? { maxReplyBytes: heavyMaxReplyBytes } : undefined);
    const contacts = flattenContacts(domains).filter(
      (c) => c.expiresState === "active" || c.expiresState === "permanent",
    );
    const aors = new Set(contacts.map((c) => `${c.domain}\u0000${c.aor}`));
    return { contacts, aors: aors.size };
  },
};
