#!/usr/bin/env node
// Runs `prisma generate` (postinstall, build). Prisma's CLI wants a native schema-engine binary it downloads
// from its own host; generate never executes it, so when none is configured we point the variable at an
// existing file and the CLI works offline. A real PRISMA_SCHEMA_ENGINE_BINARY from the environment wins.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
if (!existsSync(prismaBin)) {
  console.error(`prisma CLI not found at ${prismaBin}; run npm install`);
  process.exit(1);
}

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";

const args = process.argv.slice(2);
const result = spawnSync(prismaBin, args.length > 0 ? args : ["generate"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
