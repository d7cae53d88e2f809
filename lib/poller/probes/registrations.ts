import { flattenContacts, type UlContact } from "@/lib/kamailio/methods/ul-dump";
import type { Probe } from "./types";

export type RegisteredContact = UlContact & { aor: string; domain: string };

export type RegistrationsResult = {
  /** Live contacts (expired and deleted ones left out). */
  contacts: RegisteredContact[];
  aors: number;
};

/** ul.dump (full: the contact's Tcpconn-Id joins it to its connection). */
export const registrationsProbe: Probe<RegistrationsResult> = {
  name: "registrations",
  optional: true,
  async collect({ rpc }) {
    const contacts = flattenContacts(await rpc.ulDump()).filter(
      (c) => c.expiresState === "active" || c.expiresState === "permanent",
    );
    const aors = new Set(contacts.map((c) => `${c.domain}\u0000${c.aor}`));
    return { contacts, aors: aors.size };
  },
};
