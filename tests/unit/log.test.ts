import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, logLevelFromEnv, maskUrlCredentials } from "@/lib/log";
import { captureLog } from "../support/log-capture";

function memoryLogger(level = "info") {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ destination, level });
  return {
    logger,
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
  };
}

describe("server log", () => {
  it("writes JSON lines with level, ISO time, msg, and node on a node's child logger", () => {
    const { logger, lines } = memoryLogger();
    logger.child({ node: "edge-1" }).warn({ probe: "ul.dump" }, "probe failing");
    logger.debug("not at info");
    const [line] = lines();
    expect(lines()).toHaveLength(1);
    expect(line).toMatchObject({ level: "warn", node: "edge-1", probe: "ul.dump", msg: "probe failing" });
    expect(new Date(line.time).toISOString()).toBe(line.time);
  });

  it("writes no secret from a secret-bearing object, message or error", () => {
    const { logger, text } = memoryLogger();
    logger.error(
      {
        password: "pw-top-secret",
        token: "tok-secret-value",
        databaseUrl: "postgres://kamdash:db-secret@db/kamdash",
        headers: { authorization: "Bearer bearer-secret", cookie: "kamdash_session=cookie-secret" },
        operator: { passwordHash: "hash-secret", secret: "nested-secret" },
        node: { name: "edge", rpcUrl: "http://rpc:rpc-secret@10.0.0.1:5060/RPC" },
        err: new Error("connect to http://rpc:err-secret@10.0.0.1/RPC refused"),
      },
      "calling http://rpc:msg-secret@10.0.0.1:5060/RPC failed",
    );
    const out = text();
    for (const secret of [
      "pw-top",
      "tok-secret",
      "db-secret",
      "bearer-secret",
      "cookie-secret",
      "hash-secret",
      "nested-secret",
      "rpc-secret",
      "err-secret",
      "msg-secret",
    ]) {
      expect(out).not.toContain(secret);
    }
    const line = JSON.parse(out);
    expect(line.password).toBe("[redacted]");
    expect(line.headers.cookie).toBe("[redacted]");
    expect(line.node.rpcUrl).toBe("http://rpc:***@10.0.0.1:5060/RPC");
    expect(line.msg).toBe("calling http://rpc:***@10.0.0.1:5060/RPC failed");
    expect(line.err.message).toContain("http://rpc:***@10.0.0.1/RPC");
  });

  it("the process-wide logger writes to stdout", async () => {
    const { log } = await import("@/lib/log");
    const captured = captureLog();
    log.info({ secret: "s3cr3t" }, "hello");
    captured.restore();
    expect(captured.lines()).toEqual([
      expect.objectContaining({ level: "info", msg: "hello", secret: "[redacted]" }),
    ]);
  });

  it("reads KAMDASH_LOG_LEVEL, default info, and rejects an unknown level", () => {
    expect(logLevelFromEnv({})).toBe("info");
    expect(logLevelFromEnv({ KAMDASH_LOG_LEVEL: " DEBUG " })).toBe("debug");
    expect(() => logLevelFromEnv({ KAMDASH_LOG_LEVEL: "verbose" })).toThrow(
      /KAMDASH_LOG_LEVEL must be one of/,
    );
  });

  it("masks URL passwords inside free text", () => {
    expect(maskUrlCredentials("a http://u:p@h/x, b https://h/y")).toBe("a http://u:***@h/x, b https://h/y");
  });
});
