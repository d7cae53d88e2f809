import path from "node:path";
import { z } from "zod";

export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

const databaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  KAMDASH_DATA_DIR: z.string().trim().min(1).optional(),
});

/** DATABASE_URL set: that PostgreSQL server. Unset: embedded PGlite in ./data (or KAMDASH_DATA_DIR). */
export function databaseConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DatabaseConfig {
  const parsed = databaseEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid database settings: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
    );
  }
  const { DATABASE_URL, KAMDASH_DATA_DIR } = parsed.data;
  if (DATABASE_URL !== undefined) return { kind: "postgres", url: DATABASE_URL };
  return { kind: "pglite", dataDir: path.resolve(/* turbopackIgnore: true */ KAMDASH_DATA_DIR ?? "data") };
}

/** The folder PGlite keeps its cluster in, inside the data folder (next to the lock file). */
export function pgliteClusterDir(dataDir: string): string {
  return path.join(dataDir, "pglite");
}
