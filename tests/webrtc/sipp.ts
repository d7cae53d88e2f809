// Runs SIPp inside the test's network namespace with the scenarios in ./scenarios.
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Netns, NetnsProcess } from "../support/netns";

export const SCENARIO_DIR = path.join(import.meta.dirname, "scenarios");

export interface SippRun {
  process: NetnsProcess;
  /** Resolves when SIPp exits with 0 (every call succeeded); rejects with the tail of its logs otherwise. */
  succeeded(timeoutMs: number): Promise<void>;
}

export interface SippOptions {
  netns: Netns;
  /** Name used for the log files in workDir. */
  label: string;
  scenario: string;
  workDir: string;
  /** Arguments after the common ones (-sf, -i, -nostdin, traces, -m 1). */
  args: readonly string[];
}

async function tail(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, "utf8")).split("\n").slice(-lines).join("\n");
  } catch {
    return "(none)";
  }
}

export function startSipp(options: SippOptions): SippRun {
  const messages = path.join(options.workDir, `${options.label}-messages.log`);
  const errors = path.join(options.workDir, `${options.label}-errors.log`);
  const output = path.join(options.workDir, `${options.label}-output.log`);
  const process = options.netns.spawn(
    "sipp",
    [
      "-sf",
      options.scenario,
      "-i",
      "127.0.0.1",
      "-nostdin",
      "-m",
      "1",
      "-trace_msg",
      "-message_file",
      messages,
      "-trace_err",
      "-error_file",
      errors,
      ...options.args,
    ],
    { label: `sipp ${options.label}`, cwd: options.workDir, logFile: output },
  );
  return {
    process,
    async succeeded(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        process.exited,
        new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (outcome === 0) return;
      if (outcome === "timeout") await options.netns.stop(process, 2_000);
      throw new Error(
        `SIPp ${options.label} ended with ${outcome}\n--- errors\n${await tail(errors)}\n--- output\n${await tail(output)}\n--- messages\n${await tail(messages, 80)}`,
      );
    },
  };
}

/** Copies a scenario into workDir, replacing `__NAME__` placeholders (values SIPp cannot take as -key). */
export async function renderScenario(
  name: string,
  workDir: string,
  values: Record<string, string> = {},
): Promise<string> {
  const target = path.join(workDir, name);
  if (Object.keys(values).length === 0) {
    await copyFile(path.join(SCENARIO_DIR, name), target);
    return target;
  }
  let text = await readFile(path.join(SCENARIO_DIR, name), "utf8");
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`__${key}__`, value);
  await writeFile(target, text, "utf8");
  return target;
}
