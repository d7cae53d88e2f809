import { createHash, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { z } from "zod";

// The wire format between `kamdash` and a running server that holds the embedded database (lib/cli/forward-*.ts).
// One JSON object per line over a Unix socket in a 0700 folder of the data folder; the first line carries the
// secret from that folder's 0600 server.json. The server runs the command with runCli() in its own process and
// asks the client for what only the terminal has (stdin, a hidden prompt).

/** The folder, inside the data folder, holding server.json and (when the path is short enough) the socket. */
export const FORWARD_DIR_NAME = ".kamdash-cli";
export const FORWARD_INFO_FILE = "server.json";
export const FORWARD_SOCKET_FILE = "cli.sock";
/** Longest line either side accepts (stdin piped to a command arrives in one line). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export function forwardDir(dataDir: string): string {
  return path.join(dataDir, FORWARD_DIR_NAME);
}

/** What the server writes at start: who it is, where it listens, and the secret a client must send first. */
export const forwardInfoSchema = z.object({
  pid: z.number().int().positive(),
  socket: z.string().min(1),
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "secret: 32 random bytes, base64url"),
});
export type ForwardInfo = z.infer<typeof forwardInfoSchema>;

/** Client → server. `run` is the first and only unsolicited message; the others answer the server's asks. */
export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run"),
    secret: z.string().max(200),
    argv: z.array(z.string().max(100_000)).max(1000),
    stdinIsTty: z.boolean(),
    debug: z.boolean(),
  }),
  z.object({ type: z.literal("stdin"), text: z.string() }),
  z.object({ type: z.literal("answer"), text: z.string() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Server → client: output lines, asks for stdin or a hidden answer, and the exit code (last message). */
export const serverMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("out"), text: z.string() }),
  z.object({ type: z.literal("err"), text: z.string() }),
  z.object({ type: z.literal("read-stdin") }),
  z.object({ type: z.literal("prompt"), question: z.string() }),
  z.object({ type: z.literal("exit"), code: z.number().int().min(0).max(255) }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/** Constant-time comparison of two secrets of any length (compares their SHA-256). */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Calls `onLine` with each complete line of `stream` (UTF-8, without the newline). A line longer than
 * MAX_LINE_BYTES calls `onTooLong` once and stops reading.
 */
export function readLines(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
  onTooLong: () => void,
): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let stopped = false;
  stream.on("data", (chunk: Buffer | string) => {
    if (stopped) return;
    let data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10)) {
      const line = Buffer.concat([...pending, data.subarray(0, newline)]).toString("utf8");
      pending = [];
      pendingBytes = 0;
      data = data.subarray(newline + 1);
      onLine(line);
      if (stopped) return;
    }
    pending.push(data);
    pendingBytes += data.length;
    if (pendingBytes > MAX_LINE_BYTES) {
      stopped = true;
      onTooLong();
    }
  });
}
