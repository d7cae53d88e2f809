import { afterAll, beforeAll, beforeEach } from "vitest";
import { getDb } from "@/lib/db";
import { createTempAppDatabase } from "./app-database";

/** Empties the auth tables between tests. */
async function clearAuthTables(): Promise<void> {
  const db = await getDb();
  await db.session.deleteMany();
  await db.operator.deleteMany();
  await db.apiToken.deleteMany();
}

/** Registers the calling test file's hooks: one temp database for the file, auth tables emptied before each test. */
export function setupAuthDatabase(): void {
  let database: { drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    database = await createTempAppDatabase("auth");
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(clearAuthTables);
}
