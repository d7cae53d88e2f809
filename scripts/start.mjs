#!/usr/bin/env node
// `npm start`: build when there is no build yet, then run `next start` on HOST:PORT (127.0.0.1:3000 by
// default). We start Next's own binary and forward signals to that PID: `npx next start` would leave
// next-server running after the wrapper is killed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", ".bin", "next");
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
// the same JSON lines as the server's own log (lib/log.ts); this wrapper logs no secrets
const log = pino({
  level: process.env.KAMDASH_LOG_LEVEL?.trim().toLowerCase() || "info",
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

function runOrExit(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    log.error(`${what} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
    process.exit(result.status || 1);
  }
}

if (!existsSync(nextBin)) {
  log.fatal(`${nextBin} not found; run npm install first`);
  process.exit(1);
}
if (!existsSync(path.join(root, "lib", "generated", "prisma", "client.ts"))) {
  runOrExit(process.execPath, [path.join(root, "scripts", "db", "generate.mjs")], "prisma generate");
}
if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  log.info("no build found (.next/BUILD_ID), running next build");
  runOrExit(nextBin, ["build"], "next build");
}

const server = spawn(nextBin, ["start", "-H", host, "-p", port], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => {
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
  });
}
// `npm start` does not pass a SIGTERM sent to npm's own PID on to us: when our parent goes (we are re-parented),
// stop as if signalled, so a supervisor that stops npm does not leave next-server running
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && server.exitCode === null && server.signalCode === null) {
    log.info(`parent process ${parentPid} is gone: stopping`);
    server.kill("SIGTERM");
  }
}, 1000).unref();
log.info(
  `kamdash server starting: PID ${process.pid} (stop with SIGTERM or Ctrl-C), next-server PID ${server.pid}`,
);
server.on("error", (error) => {
  log.fatal(`could not start next: ${error.message}`);
  process.exit(1);
});
server.on("exit", (code, signal) => {
  if (code !== null) process.exit(code);
  // Killed by a signal we forwarded (or sent directly): exit as a shell would, 128 + signal number.
  const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  process.exit(128 + (signalNumbers[signal] ?? 1));
});
