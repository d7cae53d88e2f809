import { vi } from "vitest";

/** One JSON line of the server log (lib/log.ts). */
export type LogLine = { level: string; time: string; msg: string; node?: string } & Record<string, unknown>;

/**
 * Captures what the process-wide logger writes to stdout from now on (and keeps it off the test output):
 * lines() parses each JSON line; restore() puts stdout back.
 */
export function captureLog(): { lines: () => LogLine[]; text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
  const text = () => chunks.join("");
  return {
    text,
    lines: () =>
      text()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as LogLine),
    restore: () => spy.mockRestore(),
  };
}
