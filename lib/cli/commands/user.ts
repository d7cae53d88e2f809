import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { readProvisioningConfig } from "@/lib/provisioning/config";
import { ProvisioningError } from "@/lib/provisioning/errors";
import { prepareImport, runImport } from "@/lib/provisioning/import";
import {
  addSubscriber,
  changeSubscriberPassword,
  listSubscribers,
  removeSubscriber,
  showSubscriber,
} from "@/lib/provisioning/service";
import { subscriberListQuerySchema } from "@/lib/provisioning/types";
import { CliError } from "../errors";
import { type CliIo, UsageError } from "../io";
import { readNewPassword } from "../password-input";

// kamctl's add / rm / passwd / show, on Kamailio's subscriber table (KAMAILIO_DB_URL), through the same service,
// validation and audit (actor "cli") as the dashboard and the API.

export const USER_USAGE = `usage:
  kamdash user add <user@domain> [<password> | --generate | --password-stdin]   add a subscriber
  kamdash user passwd <user@domain> [<password> | --generate | --password-stdin] change its password
  kamdash user rm <user@domain> [--drop-registrations] [--close-sockets]       remove it (and its registrations)
  kamdash user show <user@domain> [--json]                                      the row and its live contacts
  kamdash user list [<search>] [--page N] [--page-size N] [--json]              list subscribers
  kamdash user import <file.csv|-> [--dry-run] [--skip-bad]                     bulk add (header username,domain,password)

With one served domain, "user" alone means user@<that domain>. Without a password argument it is asked on the
terminal (twice). --generate prints a strong password once. Import is all-or-nothing unless --skip-bad.
Example: kamdash user add 1003@example.org 'PassWord3'`;

const options = {
  generate: { type: "boolean", default: false },
  "password-stdin": { type: "boolean", default: false },
  "drop-registrations": { type: "boolean", default: false },
  "close-sockets": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  page: { type: "string" },
  "page-size": { type: "string" },
  "dry-run": { type: "boolean", default: false },
  "skip-bad": { type: "boolean", default: false },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>
>["values"];

async function passwordBody(io: CliIo, values: Values, given: string | undefined) {
  if (values.generate) return { generate: true };
  if (given !== undefined) return { password: given };
  return { password: await readNewPassword(io, values["password-stdin"] === true, USER_USAGE) };
}

function asCliError(error: unknown): unknown {
  if (!(error instanceof ProvisioningError)) return error;
  const fields = Object.entries(error.fields ?? {});
  if (fields.length === 0) return new CliError(error.message);
  return new CliError(fields.map(([field, message]) => `${field}: ${message}`).join("\n"));
}

async function run(action: string, values: Values, args: string[], io: CliIo): Promise<void> {
  const need = (count: number, shape: string) => {
    if (args.length < count || args.length > count + (action === "add" || action === "passwd" ? 1 : 0))
      throw new UsageError(`user ${action}: expected ${shape}`, USER_USAGE);
  };
  switch (action) {
    case "add": {
      need(1, "<user@domain> [<password>]");
      const [aor = "", password] = args;
      const read = readProvisioningConfig();
      const only = read.config?.domains.length === 1 ? read.config.domains[0] : undefined;
      const at = aor.indexOf("@");
      const username = at === -1 ? aor : aor.slice(0, at).replace(/^sips?:/i, "");
      const domain = at === -1 ? (only ?? "") : aor.slice(at + 1);
      const created = await addSubscriber("cli", {
        username,
        domain,
        ...(await passwordBody(io, values, password)),
      });
      io.err(`added subscriber ${created.aor}`);
      if (created.generatedPassword) io.out(created.generatedPassword);
      return;
    }
    case "passwd": {
      need(1, "<user@domain> [<password>]");
      const [aor = "", password] = args;
      const changed = await changeSubscriberPassword("cli", aor, await passwordBody(io, values, password));
      io.err(`password of ${changed.aor} changed`);
      if (changed.generatedPassword) io.out(changed.generatedPassword);
      return;
    }
    case "rm": {
      need(1, "<user@domain>");
      const removed = await removeSubscriber("cli", args[0] ?? "", {
        dropRegistrations: values["drop-registrations"],
        closeSockets: values["close-sockets"],
      });
      io.out(
        `removed subscriber ${removed.aor}` +
          (values["drop-registrations"] || values["close-sockets"]
            ? ` (${removed.registrationsDropped} registrations dropped, ${removed.socketsClosed} connections closed)`
            : ""),
      );
      for (const failure of removed.failures) io.err(`warning: ${failure}`);
      return;
    }
    case "show": {
      need(1, "<user@domain>");
      const shown = await showSubscriber("cli", args[0] ?? "", { live: true });
      if (values.json) return io.out(JSON.stringify(shown, null, 2));
      io.out(`${shown.aor}\nregistrations: ${shown.registrations.length}`);
      for (const r of shown.registrations)
        io.out(
          `  ${r.node}  ${r.contact}  ${r.transport ?? "?"}  expires ${r.expiresS ?? "never"} s  ${r.userAgent ?? ""}`,
        );
      io.out(`connections: ${shown.connections.length}`);
      for (const c of shown.connections)
        io.out(`  ${c.node}  #${c.id}  ${c.transport}  ${c.sourceIp}:${c.sourcePort}  ${c.state}`);
      for (const failure of shown.failures) io.err(`warning: ${failure}`);
      return;
    }
    case "list": {
      if (args.length > 1) throw new UsageError("user list: at most one <search>", USER_USAGE);
      const page = await listSubscribers(
        subscriberListQuerySchema.parse({
          q: args[0],
          page: values.page,
          pageSize: values["page-size"] ?? 500,
        }),
      );
      if (values.json) return io.out(JSON.stringify(page, null, 2));
      for (const row of page.rows) io.out(row.aor);
      io.err(`${page.rows.length} of ${page.total} (page ${page.page})`);
      return;
    }
    case "import": {
      need(1, "<file.csv|->");
      const file = args[0] ?? "-";
      const csv = file === "-" ? await io.readStdin() : await readFile(file, "utf8");
      const read = readProvisioningConfig();
      const only = read.config?.domains.length === 1 ? read.config.domains[0] : undefined;
      let shown = -1;
      const result = await runImport("cli", prepareImport("cli", csv, only), {
        dryRun: values["dry-run"] === true,
        mode: values["skip-bad"] ? "skip_bad" : "all_or_nothing",
        onProgress: (done, total) => {
          const percent = Math.floor((done / Math.max(total, 1)) * 10) * 10;
          if (percent !== shown) io.err(`${done}/${total} rows`);
          shown = percent;
        },
      });
      for (const e of result.errors) io.err(`line ${e.line}: ${e.field} ${e.message}`);
      io.out(
        `${result.dryRun ? "dry run: " : ""}${result.total} rows, ${result.valid} valid, ${result.imported} imported, ${result.errors.length} errors`,
      );
      if (result.errors.length > 0 && !result.dryRun && result.imported === 0)
        throw new CliError("nothing imported (all-or-nothing): fix the rows above or use --skip-bad");
      return;
    }
    default:
      throw new UsageError(`unknown user command "${action}"`, USER_USAGE);
  }
}

export async function runUser(args: string[], io: CliIo): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action === "help" || action === "--help" || action === "-h") {
    io.out(USER_USAGE);
    return;
  }
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options });
  if (values.help) {
    io.out(USER_USAGE);
    return;
  }
  try {
    await run(action, values, positionals, io);
  } catch (error) {
    throw asCliError(error);
  }
}
