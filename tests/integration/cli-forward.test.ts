import { existsSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forwardDir, forwardInfoSchema } from "@/lib/cli/forward-protocol";
import { ensureBuild } from "../e2e/support/app-server";
import { kamdash, type RunningServer, startServer } from "./cli-forward-support";
import { makeTempDir, removeDir } from "./storage-support";

// `kamdash …` while `npm start` holds the embedded database: the command runs inside the server (lib/cli/
// forward-*.ts). The real `npm start` (scripts/start.mjs) on a temp data folder, the real CLI as a child process.

let dataDir: string;
let server: RunningServer | undefined;
const env = () => ({ KAMDASH_DATA_DIR: dataDir });

function serverInfo() {
  return forwardInfoSchema.parse(
    JSON.parse(readFileSync(path.join(forwardDir(dataDir), "server.json"), "utf8")),
  );
}

async function json(response: Response): Promise<unknown> {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response.json();
}

/** Sends raw lines to the CLI socket and collects what comes back until the server closes it. */
function talk(socketPath: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = net.createConnection(socketPath, () => {
      for (const line of lines) socket.write(`${line}\n`);
    });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

beforeAll(async () => {
  await ensureBuild();
  dataDir = makeTempDir("cli-forward");
  // no poller: this test needs the server's database, not the lab
  server = await startServer({ via: "npm-start", env: { KAMDASH_DATA_DIR: dataDir, KAMDASH_POLLER: "off" } });
  // server.json is written during start-up, before the poller starts
  for (let i = 0; i < 100 && !existsSync(path.join(forwardDir(dataDir), "server.json")); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 900_000);

afterAll(async () => {
  await server?.stop();
  removeDir(dataDir);
}, 60_000);

describe("kamdash while npm start holds the embedded database", () => {
  it("creates a token in the server's database: it authenticates at once", async () => {
    const created = await kamdash(["token", "create", "--name", "x", "--role", "viewer"], env());
    expect(created.stderr).toContain('created API token "x"');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^kd_/);
    const me = await json(
      await fetch(`${server?.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(me).toMatchObject({ kind: "token", name: "x", role: "viewer" });
  });

  it("relays stdin: an admin created with --password-stdin signs in", async () => {
    const password = "forwarded-secret-1";
    const created = await kamdash(["admin", "create", "alice", "--password-stdin"], env(), `${password}\n`);
    expect(created.stderr).toBe("");
    expect(created.stdout).toContain('created admin operator "alice"');
    const login = await fetch(`${server?.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password }),
    });
    expect(login.status).toBe(200);
  });

  it("keeps exit codes and stderr: bad usage is 2, a duplicate is 1", async () => {
    const usage = await kamdash(["token", "create", "--name", "y", "--role", "root"], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--role must be viewer, operator or admin");
    const duplicate = await kamdash(
      ["admin", "create", "alice", "--password-stdin"],
      env(),
      "another-pass-2\n",
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('an operator named "alice" already exists');
    const help = await kamdash(["--help"], env());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("runs the command inside that server");
    expect(help.stdout).not.toContain("stop the server first");
  });

  it("keeps its socket and secret to the server's user: 0700 folder, 0600 files", () => {
    const info = serverInfo();
    expect(info.pid).not.toBe(process.pid);
    expect(statSync(forwardDir(dataDir)).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(forwardDir(dataDir), "server.json")).mode & 0o777).toBe(0o600);
    expect(statSync(info.socket).mode & 0o777).toBe(0o600);
  });

  it("refuses a connection without the right secret and runs nothing", async () => {
    const { socket } = serverInfo();
    const run = (secret: string) =>
      JSON.stringify({
        type: "run",
        secret,
        argv: ["token", "create", "--name", "intruder", "--role", "admin"],
        stdinIsTty: false,
        debug: false,
      });
    const wrong = await talk(socket, [run("not-the-secret")]);
    expect(wrong).toContain("wrong or missing secret");
    expect(wrong).toContain('{"type":"exit","code":1}');
    expect(wrong).not.toContain("kd_");
    expect(await talk(socket, [run("")])).toContain("wrong or missing secret");
    // not JSON, or not a run message first: the connection is dropped without an answer
    expect(await talk(socket, ["hello"])).toBe("");
    expect(await talk(socket, [JSON.stringify({ type: "stdin", text: "x" })])).toContain(
      "wrong or missing secret",
    );

    const admin = await kamdash(["token", "create", "--name", "check", "--role", "admin"], env());
    const tokens = (await json(
      await fetch(`${server?.baseUrl}/api/v1/tokens`, {
        headers: { authorization: `Bearer ${admin.stdout.trim()}` },
      }),
    )) as { name: string }[];
    expect(tokens.map((t) => t.name).sort()).toEqual(["check", "x"]);
  });

  it("runs commands locally again once the server has stopped, and cleans up its socket", async () => {
    const { socket } = serverInfo();
    await server?.stop();
    expect(existsSync(path.join(forwardDir(dataDir), "server.json"))).toBe(false);
    expect(existsSync(socket)).toBe(false);
    const listed = await kamdash(["node", "list", "--json"], env());
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual(expect.any(Array));
    const created = await kamdash(["token", "create", "--name", "offline", "--role", "viewer"], env());
    expect(created.code).toBe(0);
  });
});
