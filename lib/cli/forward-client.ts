import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { databaseConfigFromEnv } from "@/lib/db/config";
import { isProcessAlive, LOCK_FILE_NAME } from "@/lib/db/data-dir-lock";
import {
  type ClientMessage,
  encodeMessage,
  FORWARD_INFO_FILE,
  type ForwardInfo,
  forwardDir,
  forwardInfoSchema,
  readLines,
  serverMessageSchema,
} from "./forward-protocol";
import type { CliIo } from "./io";

// The CLI's end of forwarding (see forward-server.ts): before opening the embedded database, look whether a live
// server holds it; if so, send it the command line and relay its output, stdin and prompts.

export type ForwardDecision =
  | { kind: "local" }
  | { kind: "forward"; info: ForwardInfo; dataDir: string }
  | { kind: "refuse"; message: string };

function readLockHolder(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, LOCK_FILE_NAME), "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Local when the database is PostgreSQL (any number of processes may use it) or the data folder is free; forward
 * when a live server that took CLI commands holds it; refuse (with what to do) when something else holds it.
 */
export function decideForward(
  env: Readonly<Record<string, string | undefined>> = process.env,
  selfPid = process.pid,
): ForwardDecision {
  let dataDir: string;
  try {
    const config = databaseConfigFromEnv(env);
    if (config.kind === "postgres") return { kind: "local" };
    dataDir = config.dataDir;
  } catch {
    return { kind: "local" }; // the local run reports the bad setting
  }
  const holder = readLockHolder(dataDir);
  if (holder === null || holder === selfPid || !isProcessAlive(holder)) return { kind: "local" };
  const busy =
    `the data folder ${dataDir} is in use by process ${holder}, which takes no kamdash commands ` +
    "(another kamdash command still running, or a server started before this version): wait for it, or stop it";
  let text: string;
  try {
    text = readFileSync(path.join(forwardDir(dataDir), FORWARD_INFO_FILE), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      return {
        kind: "refuse",
        message: `the data folder ${dataDir} is held by the server (process ${holder}) of another user: run kamdash as that user`,
      };
    }
    return { kind: "refuse", message: busy };
  }
  let info: ForwardInfo;
  try {
    info = forwardInfoSchema.parse(JSON.parse(text));
  } catch {
    return { kind: "refuse", message: busy };
  }
  if (info.pid !== holder) return { kind: "refuse", message: busy };
  return { kind: "forward", info, dataDir };
}

/** Runs the command in the server described by `info`; resolves with its exit code. */
export function forwardToServer(
  info: ForwardInfo,
  argv: string[],
  io: CliIo,
  debug: boolean,
): Promise<number> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = (code: number, error?: string) => {
      if (finished) return;
      finished = true;
      if (error) io.err(`kamdash: ${error}`);
      socket.destroy();
      resolve(code);
    };
    const socket = net.createConnection(info.socket);
    const send = (message: ClientMessage) => socket.write(encodeMessage(message));
    socket.on("connect", () => {
      send({ type: "run", secret: info.secret, argv, stdinIsTty: io.stdinIsTty, debug });
    });
    socket.on("error", (error) =>
      finish(
        1,
        `could not reach the kamdash server (process ${info.pid}) holding the database: ${error.message}`,
      ),
    );
    socket.on("close", () =>
      finish(1, "the kamdash server closed the connection before the command finished"),
    );
    // Answers go back in the order they were asked, even when reading stdin takes a while.
    let answers = Promise.resolve();
    const answer = (produce: () => Promise<ClientMessage>) => {
      answers = answers
        .then(produce)
        .then(send, (error: unknown) => finish(1, error instanceof Error ? error.message : String(error)))
        .then(() => undefined);
    };
    readLines(
      socket,
      (line) => {
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          finish(1, "the kamdash server sent something that is not JSON");
          return;
        }
        const parsed = serverMessageSchema.safeParse(json);
        if (!parsed.success) {
          finish(1, "the kamdash server sent a message this CLI does not know (different versions?)");
          return;
        }
        const message = parsed.data;
        if (message.type === "out") io.out(message.text);
        else if (message.type === "err") io.err(message.text);
        else if (message.type === "read-stdin")
          answer(async () => ({ type: "stdin", text: await io.readStdin() }));
        else if (message.type === "prompt")
          answer(async () => ({ type: "answer", text: await io.promptHidden(message.question) }));
        else finish(message.code);
      },
      () => finish(1, "the kamdash server sent a line that is too long"),
    );
  });
}

/**
 * What `kamdash` calls first: the exit code when the command ran in (or was refused because of) a server holding
 * the data folder; null when it should run here.
 */
export async function runInHoldingServer(argv: string[], io: CliIo): Promise<number | null> {
  const decision = decideForward();
  if (decision.kind === "local") return null;
  if (decision.kind === "refuse") {
    io.err(`kamdash: ${decision.message}`);
    return 1;
  }
  return forwardToServer(decision.info, argv, io, process.env.KAMDASH_DEBUG === "1");
}
