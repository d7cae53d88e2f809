import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One folder of prisma/migrations: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

export const MIGRATION_SCRIPT_FILE = "migration.sql";
export const MIGRATION_LOCK_FILE = "migration_lock.toml";

export function defaultMigrationsDir(): string {
  return (
    process.env.KAMDASH_MIGRATIONS_DIR ??
    path.join(/* turbopackIgnore: true */ process.cwd(), "prisma", "migrations")
  );
}

/** sha256 hex of the script, as Prisma stores it in `_prisma_migrations.checksum`. */
export function checksumOf(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/**
 * Prisma accepts a stored checksum when it matches the file as is, or with its line endings switched
 * (git may rewrite them on checkout), so do we.
 */
export function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => checksumOf(variant) === checksum);
}

/** Migration folders in name order (the timestamp prefix makes that chronological), like Prisma. */
export function readMigrationsFolder(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) return [];
  assertPostgresLockFile(migrationsDir);
  const folders = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return folders.map((name) => {
    const scriptPath = path.join(migrationsDir, name, MIGRATION_SCRIPT_FILE);
    if (!existsSync(scriptPath)) {
      throw new Error(`migration folder ${name} has no ${MIGRATION_SCRIPT_FILE} (${scriptPath})`);
    }
    const script = readFileSync(scriptPath, "utf8");
    return { name, script, checksum: checksumOf(script) };
  });
}

function assertPostgresLockFile(migrationsDir: string): void {
  const lockPath = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockPath)) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockPath, "utf8"))?.[1];
  if (provider !== undefined && provider !== "postgresql") {
    throw new Error(`${lockPath} says provider "${provider}"; kamdash migrations are for postgresql`);
  }
}
