import { parseArgs } from "node:util";
import type { LabOptions } from "./lab";

/** Options shared by up/down/status: --state-dir, --netns, --db-url, --users N, --usrloc-db-only (up only). */
export function parseLabArgs(argv: string[]): LabOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      "state-dir": { type: "string" },
      netns: { type: "string" },
      "db-url": { type: "string" },
      users: { type: "string" },
      "usrloc-db-only": { type: "boolean" },
    },
    strict: true,
  });
  const options: LabOptions = { log: (line) => console.log(`lab: ${line}`) };
  if (values["state-dir"]) options.stateDir = values["state-dir"];
  if (values.netns) options.netns = values.netns;
  if (values["db-url"]) options.dbUrl = values["db-url"];
  if (values["usrloc-db-only"]) options.usrlocDbOnly = true;
  if (values.users !== undefined) {
    const users = Number(values.users);
    if (!Number.isInteger(users) || users < 1 || users > 10_000) {
      throw new Error(`--users must be an integer between 1 and 10000, got ${values.users}`);
    }
    options.users = users;
  }
  return options;
}

export function failAndExit(error: unknown): never {
  console.error(`lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
