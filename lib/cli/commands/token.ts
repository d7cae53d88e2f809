import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { cliActor } from "@/lib/auth/actor";
import { roleSchema } from "@/lib/auth/permissions";
import { createTokenAs } from "@/lib/auth/token-admin";
import { type CliIo, UsageError } from "../io";

export const TOKEN_USAGE = `usage:
  kamdash token create --name <name> --role viewer|operator|admin [--kiosk]

Prints the token on stdout, once: it is stored only as a hash. A --kiosk token opens the wall and
overview only, whatever its role. Example: TOKEN=$(kamdash token create --name wall --role viewer --kiosk)`;

export async function runToken(args: string[], io: CliIo): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action === "help" || action === "--help" || action === "-h") {
    io.out(TOKEN_USAGE);
    return;
  }
  if (action !== "create") throw new UsageError(`unknown token command "${action}"`, TOKEN_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      role: { type: "string" },
      kiosk: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.out(TOKEN_USAGE);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, TOKEN_USAGE);
  if (values.name === undefined) throw new UsageError("token create: --name is required", TOKEN_USAGE);
  const role = roleSchema.safeParse(values.role);
  if (!role.success) {
    throw new UsageError("token create: --role must be viewer, operator or admin", TOKEN_USAGE);
  }
  // the same rules (one active token per name) and the same audit row as /admin/tokens, as "cli:<os user>"
  const created = await createTokenAs(cliActor(userInfo().username), {
    name: values.name,
    role: role.data,
    kiosk: values.kiosk ?? false,
  });
  io.err(
    `created ${created.kiosk ? "kiosk " : ""}API token "${created.name}" (id ${created.id}, role ${created.role}); ` +
      "copy it now, it is not shown again:",
  );
  io.out(created.token);
}
