import { getOpenDatabase } from "@/lib/db";
import { type CliForwardServer, startCliForwardServer } from "./forward-server";
import { runCli } from "./main";

// Server start-up (instrumentation-node.ts): with the embedded database, open the socket `kamdash` commands are
// forwarded to. With DATABASE_URL the CLI opens PostgreSQL itself and nothing is opened here.

const startedKey = Symbol.for("kamdash.cli.forwardServer");
type GlobalWithForward = typeof globalThis & { [startedKey]?: Promise<CliForwardServer | null> };

async function start(): Promise<CliForwardServer | null> {
  const open = await getOpenDatabase();
  if (open.config.kind !== "pglite") return null;
  try {
    return await startCliForwardServer(open.config.dataDir, (argv, io, { debug }) =>
      runCli(argv, io, { closeDb: false, debug }),
    );
  } catch (error) {
    // Not fatal: the dashboard works; `kamdash` then says the data folder is busy.
    console.warn(
      `[kamdash] kamdash commands cannot reach this server (${error instanceof Error ? error.message : error}); ` +
        "they work again once it is stopped",
    );
    return null;
  }
}

/** Once per process (Next may load instrumentation more than once). */
export function startCliForwarding(): Promise<CliForwardServer | null> {
  const g = globalThis as GlobalWithForward;
  g[startedKey] ??= start();
  return g[startedKey];
}
