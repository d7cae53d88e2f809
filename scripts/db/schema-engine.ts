import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type * as Engine from "@prisma/schema-engine-wasm";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SchemaFile } from "./schema-files";

type EngineModule = typeof Engine & { __wbg_set_wasm(exports: WebAssembly.Exports): void };

/**
 * Loads Prisma's WebAssembly schema engine. Its entry file imports the .wasm as an ES module, which
 * Node 20 only allows behind a flag, so we instantiate the wasm ourselves and hand it to the bindings.
 */
// The bindings module caches views of the wasm memory: instantiate once per process, or a second
// instance corrupts the first one's strings.
let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= instantiateEngineModule();
  return engineModule;
}

async function instantiateEngineModule(): Promise<EngineModule> {
  const require = createRequire(import.meta.url);
  const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = (await import(pathToFileURL(bindingsPath).href)) as EngineModule;
  const wasmBytes = readFileSync(path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}

export const NO_FILTERS: Engine.SchemaFilter = { externalTables: [], externalEnums: [] };

/** Runs `use` with Prisma's schema engine connected to `db` through the PGlite driver adapter. */
export async function withSchemaEngine<T>(
  db: PGlite,
  schemaFiles: readonly SchemaFile[],
  use: (engine: Engine.SchemaEngine) => Promise<T>,
): Promise<T> {
  const engineModule = await loadEngineModule();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
  const engine = await engineModule.SchemaEngine.new(
    { datamodels: schemaFiles.map((file) => [file.path, file.content]) },
    () => {},
    adapter,
  );
  try {
    return await use(engine);
  } finally {
    engine.free();
  }
}

/**
 * SQL that turns the database behind `db` into what the schema files describe. The engine introspects the
 * live database (`_prisma_migrations` is ignored), then diffs it against the schema: the same script
 * `prisma migrate diff --script` prints.
 */
export async function diffDatabaseToSchema(db: PGlite, schemaFiles: readonly SchemaFile[]): Promise<string> {
  const files: Engine.SchemaContainer[] = schemaFiles.map((file) => ({ ...file }));
  const configDir = path.dirname(schemaFiles[0]?.path ?? ".");
  return withSchemaEngine(db, schemaFiles, async (engine) => {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? "";
  });
}

/** The migrations folder in the shape the engine's migrate commands take. */
export function engineMigrationsList(
  migrationsDir: string,
  migrations: { name: string; script: string }[],
): Engine.MigrationList {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: migrations.map((migration) => ({
      path: migration.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.script } },
    })),
  };
}
