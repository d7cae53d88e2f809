import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { log } from "@/lib/log";
import {
  type ClientMessage,
  clientMessageSchema,
  encodeMessage,
  FORWARD_INFO_FILE,
  FORWARD_SOCKET_FILE,
  forwardDir,
  readLines,
  type ServerMessage,
  secretsEqual,
} from "./forward-protocol";
import type { CliIo } from "./io";

// The server's end of CLI forwarding: while `npm start` holds the embedded database (PGlite allows one process),
// `kamdash …` hands its whole command line to the server, which runs it with runCli() against its own open
// database. Access: the socket and server.json sit in a 0700 folder (0600 files), and the first line must carry
// server.json's secret — so only the server's user (or root) can run commands. Nothing is logged but the
// command's first words and its exit code (arguments may hold a password).

export type RunCliInServer = (argv: string[], io: CliIo, options: { debug: boolean }) => Promise<number>;

export interface CliForwardServer {
  socketPath: string;
  infoPath: string;
  close(): Promise<void>;
}

/** Unix socket paths are limited to 107 bytes on Linux (103 on macOS); beyond that the socket goes to the tmpdir. */
const MAX_SOCKET_PATH_BYTES = 100;
const FIRST_MESSAGE_TIMEOUT_MS = 10_000;

function socketPathFor(dir: string): { socketPath: string; ownDir: string | null } {
  const inDataDir = path.join(dir, FORWARD_SOCKET_FILE);
  if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH_BYTES) return { socketPath: inDataDir, ownDir: null };
  const ownDir = mkdtempSync(path.join(os.tmpdir(), "kamdash-cli-")); // created 0700
  return { socketPath: path.join(ownDir, FORWARD_SOCKET_FILE), ownDir };
}

/** The command's leading words for the log ("token create"), never its arguments. */
function commandWords(argv: readonly string[]): string {
  const words: string[] = [];
  for (const arg of argv.slice(0, 2)) {
    if (!/^[a-z][a-z-]{0,30}$/.test(arg)) break;
    words.push(arg);
  }
  return words.join(" ") || "(no command)";
}

function serveConnection(socket: net.Socket, secret: string, run: RunCliInServer): void {
  const send = (message: ServerMessage) => {
    if (!socket.destroyed && socket.writable) socket.write(encodeMessage(message));
  };
  // Answers the client owes us (stdin, a prompt), in the order we asked.
  const waiting: { type: "stdin" | "answer"; resolve: (text: string) => void; reject: (e: Error) => void }[] =
    [];
  let started = false;
  const timer = setTimeout(() => socket.destroy(), FIRST_MESSAGE_TIMEOUT_MS);
  const ask = (type: "stdin" | "answer", message: ServerMessage) =>
    new Promise<string>((resolve, reject) => {
      if (socket.destroyed) {
        reject(new Error("the kamdash command that sent this went away"));
        return;
      }
      waiting.push({ type, resolve, reject });
      send(message);
    });
  socket.on("close", () => {
    clearTimeout(timer);
    for (const waiter of waiting.splice(0))
      waiter.reject(new Error("the kamdash command that sent this went away"));
  });
  socket.on("error", () => socket.destroy());

  const onMessage = (message: ClientMessage) => {
    if (!started) {
      clearTimeout(timer);
      if (message.type !== "run" || !secretsEqual(message.secret, secret)) {
        send({ type: "err", text: "kamdash: refused by the server: wrong or missing secret" });
        send({ type: "exit", code: 1 });
        socket.end();
        return;
      }
      started = true;
      const io: CliIo = {
        out: (text) => send({ type: "out", text }),
        err: (text) => send({ type: "err", text }),
        readStdin: () => ask("stdin", { type: "read-stdin" }),
        stdinIsTty: message.stdinIsTty,
        promptHidden: (question) => ask("answer", { type: "prompt", question }),
      };
      void runForwarded(message.argv, io, message.debug);
      return;
    }
    const next = waiting[0];
    if (message.type === "run" || next === undefined || next.type !== message.type) {
      socket.destroy();
      return;
    }
    waiting.shift();
    next.resolve(message.text);
  };

  const runForwarded = async (argv: string[], io: CliIo, debug: boolean) => {
    let code = 1;
    try {
      code = await run(argv, io, { debug });
    } catch (error) {
      io.err(`kamdash: ${error instanceof Error ? error.message : String(error)}`);
    }
    log.info({ command: commandWords(argv), exitCode: code }, "CLI command run for a local kamdash");
    send({ type: "exit", code });
    socket.end();
  };

  readLines(
    socket,
    (line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        socket.destroy();
        return;
      }
      const parsed = clientMessageSchema.safeParse(json);
      if (!parsed.success) socket.destroy();
      else onMessage(parsed.data);
    },
    () => socket.destroy(),
  );
}

function listen(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Opens the CLI socket of a server holding `dataDir` (call it only while holding the data folder's lock: a stale
 * socket or server.json left by a crashed server is replaced). Removed again on close() or process exit.
 */
export async function startCliForwardServer(dataDir: string, run: RunCliInServer): Promise<CliForwardServer> {
  const dir = forwardDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const infoPath = path.join(dir, FORWARD_INFO_FILE);
  const { socketPath, ownDir } = socketPathFor(dir);
  rmSync(socketPath, { force: true });
  const secret = randomBytes(32).toString("base64url");
  const server = net.createServer((socket) => serveConnection(socket, secret, run));
  await listen(server, socketPath);
  chmodSync(socketPath, 0o600);
  const temporary = `${infoPath}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ pid: process.pid, socket: socketPath, secret }), { mode: 0o600 });
  renameSync(temporary, infoPath);

  let open = true;
  const cleanUp = () => {
    if (!open) return;
    open = false;
    process.removeListener("exit", cleanUp);
    try {
      // a newer server may have replaced it (we then no longer hold the data folder)
      const info = JSON.parse(readFileSync(infoPath, "utf8")) as { pid?: unknown };
      if (info.pid === process.pid) rmSync(infoPath, { force: true });
    } catch {
      // already gone
    }
    rmSync(socketPath, { force: true });
    if (ownDir !== null) rmSync(ownDir, { recursive: true, force: true });
  };
  process.on("exit", cleanUp);
  return {
    socketPath,
    infoPath,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      cleanUp();
    },
  };
}
