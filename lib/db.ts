import type { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseConfigFromEnv } from "./db/config";
import { type OpenDatabase, openDatabase } from "./db/open";

export type { PrismaClient } from "@/lib/generated/prisma/client";
export type { DatabaseConfig } from "./db/config";

// One database per process, shared by instrumentation, route handlers and the CLI through globalThis
// (Next may load this module more than once).
const globalKey = Symbol.for("kamdash.db");
type DbGlobal = typeof globalThis & { [globalKey]?: Promise<OpenDatabase> };
const holder = globalThis as DbGlobal;

/** The Prisma client, opened and migrated on first use. */
export async function getDb(): Promise<PrismaClient> {
  return (await getOpenDatabase()).prisma;
}

/** The open database with its config and what the start-up migration did. */
export function getOpenDatabase(): Promise<OpenDatabase> {
  let opening = holder[globalKey];
  if (opening === undefined) {
    opening = openDatabase(databaseConfigFromEnv());
    holder[globalKey] = opening;
    // A failed open is not cached: the next call tries again (e.g. after the other process stopped).
    opening.catch(() => {
      if (holder[globalKey] === opening) delete holder[globalKey];
    });
  }
  return opening;
}

export async function closeDb(): Promise<void> {
  const opening = holder[globalKey];
  if (opening === undefined) return;
  delete holder[globalKey];
  const open = await opening.catch(() => undefined);
  await open?.close();
}
