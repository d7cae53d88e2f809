import { closeDb } from "@/lib/db";
import { runAdmin } from "./commands/admin";
import { runNode } from "./commands/node";
import { runToken } from "./commands/token";
import { runUser } from "./commands/user";
import { describeCliError } from "./errors";
import { type CliIo, UsageError } from "./io";

export { type CliIo, nodeCliIo } from "./io";

export const MAIN_USAGE = `kamdash — operations dashboard for Kamailio WebRTC gateways

usage: kamdash <command> [options]

commands:
  admin create <username> [--password-stdin]                  create an admin operator
  admin passwd <username> [--password-stdin]                  set an operator's password
  token create --name N --role viewer|operator|admin [--kiosk]  create an API token (printed once)
  node add <name> <rpc-url>                                   watch a Kamailio node
  node list [--json]                                          list nodes
  node rm <name>                                              remove a node
  user add|passwd|rm|show|list|import …                       manage Kamailio subscribers (kamctl-like)

Run "kamdash <command> --help" for details. The database is the one \`npm start\` uses:
DATABASE_URL when set, else the embedded one in ./data (KAMDASH_DATA_DIR). While \`npm start\` holds
the embedded one, kamdash runs the command inside that server (same database, same checks).`;

const commands: Record<string, (args: string[], io: CliIo) => Promise<void>> = {
  admin: runAdmin,
  token: runToken,
  node: runNode,
  user: runUser,
};

export type RunCliOptions = {
  /** Close the database afterwards (the default; false inside the server, whose database it is). */
  closeDb?: boolean;
  /** Print stacks of unexpected errors (KAMDASH_DEBUG=1 by default). */
  debug?: boolean;
};

/** Runs one CLI command; returns the exit code (0 ok, 1 failed, 2 bad usage). */
export async function runCli(argv: string[], io: CliIo, options: RunCliOptions = {}): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.out(MAIN_USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
  if (run === undefined) {
    io.err(`kamdash: unknown command "${command}"\n\n${MAIN_USAGE}`);
    return 2;
  }
  try {
    await run(rest, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`kamdash: ${error.message}\n\n${error.usage}`);
      return 2;
    }
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      io.err(`kamdash: ${(error as Error).message}\n\nRun "kamdash ${command} --help".`);
      return 2;
    }
    io.err(`kamdash: ${describeCliError(error, options.debug ?? process.env.KAMDASH_DEBUG === "1")}`);
    return 1;
  } finally {
    if (options.closeDb ?? true) await closeDb();
  }
}
