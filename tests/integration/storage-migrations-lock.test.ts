import { describe, expect, it } from "vitest";
import { runMigrations } from "@/lib/db/migrate";
import { readMigrationsFolder } from "@/lib/db/migrations-folder";
import { createTempPostgres } from "../support/temp-postgres";
import { openPostgresBackend, REPO_MIGRATIONS_DIR } from "./storage-support";

describe("migration runner concurrency on PostgreSQL", () => {
  it("two runners at once apply each migration exactly once (advisory lock)", async () => {
    const database = await createTempPostgres("migrate_lock");
    const first = await openPostgresBackend(database.url);
    const second = await openPostgresBackend(database.url);
    try {
      const [a, b] = await Promise.all([
        runMigrations(first.session, REPO_MIGRATIONS_DIR),
        runMigrations(second.session, REPO_MIGRATIONS_DIR),
      ]);
      const names = readMigrationsFolder(REPO_MIGRATIONS_DIR).map((file) => file.name);
      expect([...a.applied, ...b.applied].sort()).toEqual(names);
      const rows = await first.query<{ migration_name: string }>(
        'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(names);
    } finally {
      await first.close();
      await second.close();
      await database.drop();
    }
  });
});
