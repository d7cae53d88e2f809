import { z } from "zod";
import { parseReply } from "../errors";

/** usrloc's counts read from its database table (the `location` table unless the config names others). */
export const UL_DB_CONTACTS = "ul.db_contacts";
export const UL_DB_USERS = "ul.db_users";

/** Each answers one integer: a row count from the table given as the only parameter. */
export const ulDbCountResultSchema = z.number().int();

/** `ul.db_contacts <table>`: contact rows in the usrloc table (the count under usrloc db_mode 3). */
export function parseUlDbCount(result: unknown, method: string, nodeUrl?: string): number {
  return parseReply(ulDbCountResultSchema, result, method, nodeUrl);
}
