import { isKamailioRpcError } from "@/lib/kamailio/errors";
import type { StatsMap } from "@/lib/kamailio/methods/stats-fetch";
import { type Probe, ProbeUnavailableError } from "./types";

export type RegistrationsResult = {
  /** Contacts, as Kamailio printed the number (text from stats.fetch, a number from ul.db_contacts). */
  contacts: string | number;
  /** AORs (usrloc `<table>_users`), null when not reported. */
  aors: string | number | null;
  source: "stats.fetch usrloc" | "ul.db_contacts";
  /** usrloc tables found in the statistics, e.g. ["location"]. */
  tables: string[];
  /**
   * The statistics said 0 and the database could not be asked: 0 is only true if usrloc keeps contacts in
   * memory. With usrloc db_mode 3 (DB only) the statistics read 0 however many phones are registered.
   */
  zeroUnconfirmed: boolean;
  /** Why the database count was not had, when zeroUnconfirmed. */
  dbError: string | null;
};

// ul_rpc.c answers this in db_mode 0 (checked on 5.6.3: tests/fixtures/rpc/ul.db_contacts.db-mode-0.http-500.json).
const MEMORY_ONLY = /not supported in db_mode=0/i;

// usrloc names its per-table statistics "<table>_contacts" / "<table>_users" (5.4+) or with '-' (before 5.4).
const TABLE_STAT = /^usrloc\.(.+)[-_](contacts|users)$/;

function sumTables(stats: StatsMap): { tables: string[]; contacts: bigint; users: bigint | null } | null {
  const tables = new Set<string>();
  let contacts = 0n;
  let users: bigint | null = null;
  for (const [key, value] of Object.entries(stats)) {
    const match = TABLE_STAT.exec(key);
    if (!match?.[1] || match[1] === "registered" || !/^\d+$/.test(value.trim())) continue;
    tables.add(match[1]);
    if (match[2] === "contacts") contacts += BigInt(value.trim());
    else users = (users ?? 0n) + BigInt(value.trim());
  }
  return tables.size === 0 ? null : { tables: [...tables].sort(), contacts, users };
}

/**
 * Registration counts every cycle from cheap calls: usrloc's statistics (`stats.fetch usrloc:`, the per-table
 * `<table>_contacts` and `_users`). When they read 0, `ul.db_contacts <table>` is asked as well: with usrloc in
 * DB-only mode (db_mode 3) contacts live only in the database and the statistics stay 0 (udomain.c uses a static
 * record there). ul.db_contacts answers "not supported in db_mode=0" when usrloc is memory-only (0 is then true),
 * a count on MySQL, and "Failed to query contact count" on PostgreSQL (its SQL uses UNIX_TIMESTAMP): then the 0
 * is unconfirmed and measure() shows registrations unavailable while the node holds WS/WSS connections.
 * Sums are kept as text so lib/poller/plausible.ts can reject a wrapped value exactly.
 */
export const registrationsProbe: Probe<RegistrationsResult> = {
  name: "registrations",
  cadence: "cycle",
  async collect({ rpc }) {
    const summed = sumTables(await rpc.statsFetch(["usrloc"]));
    if (!summed) {
      throw new ProbeUnavailableError(
        "stats.fetch usrloc: no <table>_contacts statistic (usrloc not loaded?)",
      );
    }
    const base = {
      contacts: summed.contacts.toString(),
      aors: summed.users === null ? null : summed.users.toString(),
      source: "stats.fetch usrloc" as const,
      tables: summed.tables,
      zeroUnconfirmed: false,
      dbError: null,
    };
    if (summed.contacts !== 0n) return base;
    try {
      let contacts = 0;
      for (const table of summed.tables) contacts += await rpc.ulDbContacts(table);
      if (contacts === 0) return base;
      return { ...base, contacts, aors: null, source: "ul.db_contacts" as const };
    } catch (error) {
      if (!isKamailioRpcError(error) || error.kind !== "rpc") throw error;
      // usrloc keeps contacts in memory only: its statistics are the truth, 0 included
      if (MEMORY_ONLY.test(error.rpcMessage ?? "")) return base;
      // any other answer: usrloc uses a database (on PostgreSQL these counts always fail: their SQL is MySQL's)
      return { ...base, zeroUnconfirmed: true, dbError: `${error.method}: ${error.detail}` };
    }
  },
};
