import { closeDb, getDb } from "@/lib/db";
import { createTempPostgres } from "../support/temp-postgres";

/**
 * Points getDb() (and so lib/auth and the route handlers) at a fresh temp database, migrated here on first use;
 * drop() closes and removes it.
 */
export async function createTempAppDatabase(label: string): Promise<{ drop: () => Promise<void> }> {
  const database = await createTempPostgres(label);
  await closeDb();
  process.env.DATABASE_URL = database.url;
  await getDb();
  return {
    drop: async () => {
      await closeDb();
      delete process.env.DATABASE_URL;
      await database.drop();
    },
  };
}
