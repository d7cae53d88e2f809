import { existsSync } from "node:fs";
import { defineConfig } from "prisma/config";

// Prisma 7 no longer loads .env itself; read it when present, never override the real environment.
if (existsSync(".env")) process.loadEnvFile(".env");

// `env("DATABASE_URL")` would throw when unset, which breaks `prisma generate` for PGlite users.
// The fallback is only a placeholder for generate/validate; kamdash itself connects through lib/db.ts.
const databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kamdash";

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: databaseUrl },
});
