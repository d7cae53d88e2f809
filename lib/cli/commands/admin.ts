import { parseArgs } from "node:util";
import { createOperator, setOperatorPassword } from "@/lib/auth/operators";
import { CliError, isUniqueViolation } from "../errors";
import { type CliIo, UsageError } from "../io";
import { readNewPassword } from "../password-input";

export const ADMIN_USAGE = `usage:
  kamdash admin create <username> [--password-stdin]   create an operator with the admin role
  kamdash admin passwd <username> [--password-stdin]   set a new password (signs them out everywhere)

Without --password-stdin the password is asked on the terminal, twice.
Example: printf '%s' "$PASSWORD" | kamdash admin create alice --password-stdin`;

export async function runAdmin(args: string[], io: CliIo): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action === "help" || action === "--help" || action === "-h") {
    io.out(ADMIN_USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { "password-stdin": { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.out(ADMIN_USAGE);
    return;
  }
  const username = positionals[0];
  if (positionals.length !== 1 || username === undefined) {
    throw new UsageError(`admin ${action}: expected exactly one <username>`, ADMIN_USAGE);
  }
  const fromStdin = values["password-stdin"] ?? false;
  if (action === "create") {
    const password = await readNewPassword(io, fromStdin, ADMIN_USAGE);
    const operator = await createOperator({ username, password, role: "admin" }).catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw new CliError(
          `an operator named "${username}" already exists (kamdash admin passwd changes a password)`,
        );
      }
      throw error;
    });
    io.out(`created admin operator "${operator.username}" (id ${operator.id})`);
    return;
  }
  if (action === "passwd") {
    const password = await readNewPassword(io, fromStdin, ADMIN_USAGE);
    if (!(await setOperatorPassword(username, password)))
      throw new CliError(`no operator named "${username}"`);
    io.out(`password of "${username.trim().toLowerCase()}" changed; their sessions were signed out`);
    return;
  }
  throw new UsageError(`unknown admin command "${action}"`, ADMIN_USAGE);
}
