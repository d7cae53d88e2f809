#!/usr/bin/env node
// The `kamdash` command. Runs lib/cli/main.ts through tsx in this process, from the project root so the
// CLI opens the same database as `npm start` (./data, prisma/migrations, .lab/lab.json).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// A relative KAMDASH_DATA_DIR means relative to where the user ran the command, not to the project root.
if (process.env.KAMDASH_DATA_DIR && !path.isAbsolute(process.env.KAMDASH_DATA_DIR)) {
  process.env.KAMDASH_DATA_DIR = path.resolve(process.env.KAMDASH_DATA_DIR);
}
process.chdir(root);

register({ tsconfig: path.join(root, "tsconfig.json") });
const load = (...parts) => import(pathToFileURL(path.join(root, "lib", "cli", ...parts)).href);
const argv = process.argv.slice(2);
const { nodeCliIo } = await load("io.ts");
// While `npm start` holds the embedded database, the command runs inside that server (lib/cli/forward-*.ts).
const { runInHoldingServer } = await load("forward-client.ts");
const forwarded = await runInHoldingServer(argv, nodeCliIo());
if (forwarded !== null) {
  process.exitCode = forwarded;
} else {
  const { runCli } = await load("main.ts");
  process.exitCode = await runCli(argv, nodeCliIo());
}
