import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

/** What the CLI touches of the outside world, so tests can drive it without a terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  stdinIsTty: boolean;
  /** Asks on the terminal without echoing what is typed. */
  promptHidden(question: string): Promise<string>;
}

/** Wrong command line: print the message and the usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function promptHidden(question: string): Promise<string> {
  let muted = false;
  // Echo goes through this stream; once the question is shown, keystrokes are swallowed.
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

export function nodeCliIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    readStdin: () => readAll(process.stdin),
    stdinIsTty: process.stdin.isTTY === true,
    promptHidden,
  };
}
