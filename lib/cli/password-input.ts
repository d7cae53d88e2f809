import { CliError } from "./errors";
import { type CliIo, UsageError } from "./io";

/**
 * The new password: from stdin with --password-stdin (one trailing newline dropped), else asked twice on
 * the terminal. Never from an argument: it would end up in shell history and `ps`.
 */
export async function readNewPassword(io: CliIo, fromStdin: boolean, usage: string): Promise<string> {
  if (fromStdin) {
    const text = await io.readStdin();
    return text.replace(/\r?\n$/, "");
  }
  if (!io.stdinIsTty) {
    throw new UsageError("no terminal to ask for the password: pipe it in with --password-stdin", usage);
  }
  const first = await io.promptHidden("Password: ");
  const second = await io.promptHidden("Repeat password: ");
  if (first !== second) throw new CliError("the two passwords differ");
  return first;
}
