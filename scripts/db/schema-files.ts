import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The repository's Prisma schema folder: one .prisma file per area (prisma.config.ts `schema`). */
export const SCHEMA_DIR = path.join("prisma", "schema");

export type SchemaFile = { path: string; content: string };

/** Every *.prisma file of `dir`, sorted by name, as the schema engine takes them. Throws when there is none. */
export function readSchemaFiles(dir: string): SchemaFile[] {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".prisma"))
    .sort();
  if (names.length === 0) throw new Error(`no .prisma file in ${dir}`);
  return names.map((name) => {
    const filePath = path.join(dir, name);
    return { path: filePath, content: readFileSync(filePath, "utf8") };
  });
}
