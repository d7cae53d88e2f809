import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/open";
import { makeTempDir, removeDir } from "./storage-support";

// The kamdash CLI as a user runs it: one process per command, on an embedded database in a temp folder.

let dataDir: string;
beforeAll(() => {
  dataDir = makeTempDir("cli");
});
afterAll(() => removeDir(dataDir));

function kamdash(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ["scripts/kamdash.mjs", ...args], {
    env: { ...process.env, KAMDASH_DATA_DIR: dataDir, DATABASE_URL: "" },
    input,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function inDatabase<T>(
  read: (db: Awaited<ReturnType<typeof openDatabase>>["prisma"]) => Promise<T>,
): Promise<T> {
  const open = await openDatabase({ kind: "pglite", dataDir });
  try {
    return await read(open.prisma);
  } finally {
    await open.close();
  }
}

describe("kamdash CLI", () => {
  it("prints help with exit 0, and usage with exit 2 for unknown commands and options", () => {
    const help = kamdash(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("admin create <username> [--password-stdin]");
    expect(help.stdout).toContain("token create --name N --role viewer|operator|admin [--kiosk]");
    expect(help.stdout).toContain("node add <name> <rpc-url>");
    expect(kamdash(["frobnicate"]).status).toBe(2);
    const badOption = kamdash(["node", "list", "--bogus"]);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toContain("--bogus");
    const badRole = kamdash(["token", "create", "--name", "x", "--role", "root"]);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain("--role must be viewer, operator or admin");
  });

  it("adds, lists and removes nodes", () => {
    const added = kamdash(["node", "add", "edge1", "http://10.0.0.5:5080/RPC"]);
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    const duplicate = kamdash(["node", "add", "edge1", "http://10.0.0.6:5080/RPC"]);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('a node named "edge1" already exists');
    const invalid = kamdash(["node", "add", "edge2", "10.0.0.6:5080"]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain("RPC URL must be an http:// or https:// URL");

    const listed = kamdash(["node", "list", "--json"]);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      { name: "edge1", rpcUrl: "http://10.0.0.5:5080/RPC", enabled: true, source: "cli" },
    ]);
    const table = kamdash(["node", "list"]);
    expect(table.stdout.split("\n")[1]).toMatch(/^edge1\s+yes\s+cli\s+http:\/\/10\.0\.0\.5:5080\/RPC$/);

    expect(kamdash(["node", "rm", "edge1"]).status).toBe(0);
    const again = kamdash(["node", "rm", "edge1"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no node named "edge1"');
  });

  it("creates an admin from stdin, refuses a weak password and a second admin of that name", async () => {
    const created = kamdash(["admin", "create", "Alice", "--password-stdin"], "correct horse battery\n");
    expect(created.stderr).toBe("");
    expect(created.stdout).toContain('created admin operator "alice"');
    const weak = kamdash(["admin", "create", "bob", "--password-stdin"], "short");
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/password/i);
    const twice = kamdash(["admin", "create", "alice", "--password-stdin"], "another good password");
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('an operator named "alice" already exists');
    const noTerminal = kamdash(["admin", "create", "carol"], "");
    expect(noTerminal.status).toBe(2);
    expect(noTerminal.stderr).toContain("--password-stdin");

    const operators = await inDatabase((db) => db.operator.findMany());
    expect(operators.map(({ username, role, disabled }) => ({ username, role, disabled }))).toEqual([
      { username: "alice", role: "admin", disabled: false },
    ]);
    expect(operators[0]?.passwordHash).not.toContain("correct horse battery");
  });

  it("creates an API token, printing it once on stdout and storing only its hash", async () => {
    const created = kamdash(["token", "create", "--name", "wall screen", "--role", "viewer", "--kiosk"]);
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^kd_\S{20,}$/);
    expect(created.stderr).toContain('kiosk API token "wall screen"');
    const rows = await inDatabase((db) => db.apiToken.findMany());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "wall screen", role: "viewer", kiosk: true, revokedAt: null });
    expect(rows[0]?.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(token.startsWith(rows[0]?.prefix ?? "-")).toBe(true);
    // the same rules and audit as /admin/tokens: a second active token of that name is refused, one audit row
    const again = kamdash(["token", "create", "--name", "wall screen", "--role", "viewer"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('An active token named "wall screen" already exists');
    const audit = await inDatabase((db) => db.auditLog.findMany());
    expect(audit).toEqual([
      expect.objectContaining({ action: "token.create", actor: `cli:${userInfo().username}`, result: "ok" }),
    ]);
  });
});
