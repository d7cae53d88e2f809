import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseConfigFromEnv } from "@/lib/db/config";
import { checksumOf, readMigrationsFolder, scriptMatchesChecksum } from "@/lib/db/migrations-folder";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "kamdash-migrations-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function addMigration(name: string, sql: string): void {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

describe("migration checksums", () => {
  it("is the sha256 hex of the file, as Prisma stores it", () => {
    const sql = 'CREATE TABLE "t" ("id" INTEGER);\n';
    expect(checksumOf(sql)).toBe(createHash("sha256").update(sql).digest("hex"));
    expect(checksumOf("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("accepts the same script with other line endings, rejects a changed one", () => {
    const unix = "SELECT 1;\nSELECT 2;\n";
    expect(scriptMatchesChecksum(unix.replaceAll("\n", "\r\n"), checksumOf(unix))).toBe(true);
    expect(scriptMatchesChecksum(unix, checksumOf(unix.replaceAll("\n", "\r\n")))).toBe(true);
    expect(scriptMatchesChecksum("SELECT 1;\nSELECT 3;\n", checksumOf(unix))).toBe(false);
  });
});

describe("readMigrationsFolder", () => {
  it("lists folders in name order with their scripts and checksums, ignoring files", () => {
    addMigration("20260102000000_second", "SELECT 2;");
    addMigration("20260101000000_first", "SELECT 1;");
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
    expect(readMigrationsFolder(dir)).toEqual([
      { name: "20260101000000_first", script: "SELECT 1;", checksum: checksumOf("SELECT 1;") },
      { name: "20260102000000_second", script: "SELECT 2;", checksum: checksumOf("SELECT 2;") },
    ]);
  });

  it("is empty when the folder does not exist", () => {
    expect(readMigrationsFolder(path.join(dir, "missing"))).toEqual([]);
  });

  it("refuses a folder without migration.sql", () => {
    mkdirSync(path.join(dir, "20260101000000_broken"));
    expect(() => readMigrationsFolder(dir)).toThrowError(/20260101000000_broken has no migration.sql/);
  });

  it("refuses migrations written for another database provider", () => {
    addMigration("20260101000000_first", "SELECT 1;");
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "sqlite"\n');
    expect(() => readMigrationsFolder(dir)).toThrowError(/provider "sqlite"/);
  });

  it("the repository's own migrations read cleanly", () => {
    const own = readMigrationsFolder(path.resolve("prisma", "migrations"));
    expect(own.length).toBeGreaterThan(0);
    expect(own[0]?.name).toMatch(/^\d{14}_init$/);
  });
});

describe("databaseConfigFromEnv", () => {
  it("uses PostgreSQL when DATABASE_URL is set", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgres://u@db:5432/kamdash" })).toEqual({
      kind: "postgres",
      url: "postgres://u@db:5432/kamdash",
    });
  });

  it("uses PGlite in ./data, or KAMDASH_DATA_DIR, otherwise", () => {
    expect(databaseConfigFromEnv({})).toEqual({ kind: "pglite", dataDir: path.resolve("data") });
    expect(databaseConfigFromEnv({ DATABASE_URL: "", KAMDASH_DATA_DIR: "/srv/kd" })).toEqual({
      kind: "pglite",
      dataDir: "/srv/kd",
    });
  });

  it("rejects a DATABASE_URL that is not a PostgreSQL URL", () => {
    expect(() => databaseConfigFromEnv({ DATABASE_URL: "mysql://x/y" })).toThrowError(/postgres:\/\//);
  });
});
