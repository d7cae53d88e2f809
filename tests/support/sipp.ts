import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./lab";
import { parseSipMessage, type SipMessage } from "./sip-message";

// Runs SIPp (/usr/bin/sipp) with one of tests/gateway/scenarios, records its PID, stops it by PID,
// and reads back the messages it sent and received from its -trace_msg log.

export const scenariosDir = path.join(repoRoot, "tests/gateway/scenarios");
export const sippOutputDir = path.join(repoRoot, "test-results/gateway/sipp");

export interface SippOptions {
  /** Scenario file name in tests/gateway/scenarios, or an absolute path (a scenario written for one test). */
  scenario: string;
  /** Short name for the log files and error messages. */
  label: string;
  /** Transport: u1 = UDP, t1 = TCP (TLS goes through a SipStreamRelay: Debian's SIPp has no OpenSSL). */
  transport: "u1" | "t1";
  localPort: number;
  /** host:port to send to (UAC scenarios); omitted for UAS scenarios. */
  remote?: string;
  /** Scenario keywords (-key name value). */
  keys?: Record<string, string>;
  /** Digest credentials (-au/-ap). */
  auth?: { username: string; password: string };
  /** Duration of <pause/> (-d), e.g. how long a caller holds the call. */
  pauseMs?: number;
  /** Calls before SIPp exits (-m); default 1. */
  calls?: number;
  /** Call-ID of the (single) call, so the test can find it in dlg.list and RTPEngine. */
  callId?: string;
  timeoutMs?: number;
}

export interface SippTraceEntry {
  direction: "sent" | "received";
  message: SipMessage;
}

export interface SippResult {
  label: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  messageLog: string;
  trace: SippTraceEntry[];
}

export function parseSippMessageLog(text: string): SippTraceEntry[] {
  const entries: SippTraceEntry[] = [];
  for (const block of text.split(/^-{20,}.*$/m)) {
    const match = /^\s*\w+ message (sent|received)[^\n]*\n\n([\s\S]*)$/.exec(block.replace(/\r\n/g, "\n"));
    if (!match?.[1] || !match[2]) continue;
    const raw = match[2].replace(/\n+$/, "\n\n").replace(/\n/g, "\r\n");
    try {
      entries.push({ direction: match[1] as "sent" | "received", message: parseSipMessage(raw) });
    } catch {
      // keep-alive CRLFs and partial frames are not SIP messages
    }
  }
  return entries;
}

export class SippProcess {
  readonly pid: number;
  readonly done: Promise<SippResult>;
  readonly messageLogPath: string;
  private readonly child: ChildProcess;

  private constructor(readonly options: SippOptions) {
    mkdirSync(sippOutputDir, { recursive: true });
    const fileStem = `${options.label}-${randomBytes(3).toString("hex")}`;
    this.messageLogPath = path.join(sippOutputDir, `${fileStem}.messages.log`);
    const scenarioPath = path.isAbsolute(options.scenario)
      ? options.scenario
      : path.join(scenariosDir, options.scenario);
    if (!existsSync(scenarioPath)) throw new Error(`no SIPp scenario ${scenarioPath}`);
    const timeoutSeconds = Math.ceil((options.timeoutMs ?? 30_000) / 1000);
    const args = [
      ...(options.remote ? [options.remote] : []),
      "-sf",
      scenarioPath,
      "-t",
      options.transport,
      "-i",
      "127.0.0.1",
      "-p",
      String(options.localPort),
      "-mi",
      "127.0.0.1",
      // the control socket would otherwise listen on every interface
      "-ci",
      "127.0.0.1",
      "-m",
      String(options.calls ?? 1),
      "-nostdin",
      "-timeout",
      `${timeoutSeconds}s`,
      "-timeout_error",
      "-trace_msg",
      "-message_file",
      this.messageLogPath,
      "-trace_err",
      "-error_file",
      path.join(sippOutputDir, `${fileStem}.errors.log`),
      "-d",
      String(options.pauseMs ?? 0),
    ];
    if (options.callId) args.push("-cid_str", options.callId);
    if (options.auth) args.push("-au", options.auth.username, "-ap", options.auth.password);
    for (const [key, value] of Object.entries(options.keys ?? {})) args.push("-key", key, value);

    this.child = spawn("/usr/bin/sipp", args, { cwd: sippOutputDir, stdio: ["ignore", "pipe", "pipe"] });
    if (this.child.pid === undefined) throw new Error(`${options.label}: sipp did not start`);
    this.pid = this.child.pid;
    let output = "";
    const keepTail = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-8_000);
    };
    this.child.stdout?.on("data", keepTail);
    this.child.stderr?.on("data", keepTail);
    this.done = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.once("exit", (exitCode, signal) => {
        const messageLog = existsSync(this.messageLogPath) ? readFileSync(this.messageLogPath, "utf8") : "";
        resolve({
          label: options.label,
          exitCode,
          signal,
          output,
          messageLog,
          trace: parseSippMessageLog(messageLog),
        });
      });
    });
  }

  static start(options: SippOptions): SippProcess {
    return new SippProcess(options);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for SIPp to end by itself; fails (after killing it) if it has not within `timeoutMs`. */
  async finished(timeoutMs = (this.options.timeoutMs ?? 30_000) + 5_000): Promise<SippResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        void this.stop();
        reject(
          new Error(`${this.options.label}: sipp (pid ${this.pid}) still running after ${timeoutMs} ms`),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops this SIPp by its PID: SIGTERM, then SIGKILL after 3 s. */
  async stop(): Promise<SippResult> {
    if (this.running) {
      process.kill(this.pid, "SIGTERM");
      const killTimer = setTimeout(() => {
        if (this.running) process.kill(this.pid, "SIGKILL");
      }, 3_000);
      await this.done.finally(() => clearTimeout(killTimer));
    }
    return this.done;
  }
}

/** Final responses SIPp received to its request `method` (in order). */
export function finalResponses(result: SippResult, method: string): number[] {
  return result.trace
    .filter((entry) => entry.direction === "received" && entry.message.kind === "response")
    .map((entry) => entry.message)
    .filter((message) => message.kind === "response" && message.status >= 200)
    .filter((message) => (message.headers.find((h) => h.name === "cseq")?.value ?? "").endsWith(` ${method}`))
    .map((message) => (message.kind === "response" ? message.status : 0));
}

/** The requests SIPp received with `method` (e.g. the INVITE a callee got, to read its SDP). */
export function receivedRequests(result: SippResult, method: string): SipMessage[] {
  return result.trace
    .filter((entry) => entry.direction === "received")
    .map((entry) => entry.message)
    .filter((message) => message.kind === "request" && message.method === method);
}

export function describeSippFailure(result: SippResult): string {
  return `${result.label}: sipp exit ${result.exitCode ?? result.signal}\n${result.output.slice(-2_000)}`;
}
