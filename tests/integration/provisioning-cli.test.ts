import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "@/lib/cli/main";
import { getDb } from "@/lib/db";
import { subscriberHashes } from "@/lib/provisioning/hash";
import { readLab } from "../support/lab";
import { setupAdminDatabase } from "./admin-support";
import { OTHER_DOMAIN, setupProvisioning, storedRows } from "./provisioning-support";

// `kamdash user …` through runCli with a captured terminal, on a temp kamdash database and the lab's subscriber
// table: kamctl's shape, the same validation, audit rows with actor "cli".

setupAdminDatabase();
setupProvisioning();

const dir = mkdtempSync(path.join(tmpdir(), "kd9-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function kamdash(args: string[], stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readStdin: async () => stdin,
    stdinIsTty: false,
    promptHidden: async () => {
      throw new Error("no terminal in tests");
    },
  };
  const code = await runCli(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("kamdash user", () => {
  it("add / list / show / passwd / rm like kamctl, audited as cli", async () => {
    const domain = readLab().domain;
    const added = await kamdash(["user", "add", `kd9-cli1@${OTHER_DOMAIN}`, "PassWord3x"]);
    expect(added).toMatchObject({ code: 0, err: `added subscriber kd9-cli1@${OTHER_DOMAIN}` });
    expect((await storedRows("kd9-cli1"))[0]?.ha1b).toBe(
      subscriberHashes({
        username: "kd9-cli1",
        domain: OTHER_DOMAIN,
        password: "PassWord3x",
        realm: OTHER_DOMAIN,
      }).ha1b,
    );
    const generated = await kamdash(["user", "add", `kd9-cli2@${domain}`, "--generate"]);
    expect(generated.code).toBe(0);
    expect(generated.out).toMatch(/^[A-Za-z0-9]{20}$/);

    const dup = await kamdash(["user", "add", `kd9-cli1@${OTHER_DOMAIN}`, "PassWord3x"]);
    expect(dup).toMatchObject({
      code: 1,
      err: `kamdash: subscriber kd9-cli1@${OTHER_DOMAIN} already exists`,
    });
    const bad = await kamdash(["user", "add", "kd9 bad@nowhere.test", "short"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("username: may hold only");
    expect(bad.err).toContain("domain: is not served");
    expect(bad.err).toContain("password: must be at least 8 characters");

    const listed = await kamdash(["user", "list", "kd9-cli"]);
    // sorted by domain, then username: the lab's "127.0.0.1" before "kd9.example.org"
    expect(listed.out.split("\n")).toEqual([`kd9-cli2@${domain}`, `kd9-cli1@${OTHER_DOMAIN}`]);
    const shown = await kamdash(["user", "show", `kd9-cli1@${OTHER_DOMAIN}`, "--json"]);
    expect(JSON.parse(shown.out)).toMatchObject({ aor: `kd9-cli1@${OTHER_DOMAIN}`, registrations: [] });

    const changed = await kamdash(
      ["user", "passwd", `kd9-cli1@${OTHER_DOMAIN}`, "--password-stdin"],
      "N3w password\n",
    );
    expect(changed.code).toBe(0);
    expect((await storedRows("kd9-cli1"))[0]?.ha1).toBe(
      subscriberHashes({
        username: "kd9-cli1",
        domain: OTHER_DOMAIN,
        password: "N3w password",
        realm: OTHER_DOMAIN,
      }).ha1,
    );
    expect(await kamdash(["user", "rm", `kd9-cli1@${OTHER_DOMAIN}`])).toMatchObject({ code: 0 });
    expect(await kamdash(["user", "rm", `kd9-cli1@${OTHER_DOMAIN}`])).toMatchObject({
      code: 1,
      err: `kamdash: no subscriber kd9-cli1@${OTHER_DOMAIN}`,
    });
    expect((await kamdash(["user", "frob"])).code).toBe(2);

    const audit = await (await getDb()).auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((r) => [r.actor, r.action])).toEqual([
      ["cli", "subscriber.add"],
      ["cli", "subscriber.add"],
      ["cli", "subscriber.passwd"],
      ["cli", "subscriber.remove"],
    ]);
    const text = JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(text).not.toContain("PassWord3x");
    expect(text).not.toContain(generated.out);
    expect(text).not.toContain("N3w password");
  });

  it("imports a CSV file: dry run reports bad lines, all-or-nothing refuses, --skip-bad imports the rest", async () => {
    const file = path.join(dir, "users.csv");
    writeFileSync(
      file,
      `username,domain,password\nkd9-imp1,${OTHER_DOMAIN},good password\nkd9 bad,${OTHER_DOMAIN},good password\nkd9-imp2,${OTHER_DOMAIN},short\nkd9-imp3,${OTHER_DOMAIN},"with, comma"\n`,
    );
    const dry = await kamdash(["user", "import", file, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toBe("dry run: 4 rows, 2 valid, 0 imported, 2 errors");
    expect(dry.err).toContain("line 3: username may hold only");
    expect(dry.err).toContain("line 4: password must be at least 8 characters");
    const strict = await kamdash(["user", "import", file]);
    expect(strict.code).toBe(1);
    expect(await storedRows("kd9-imp1")).toEqual([]);
    const skipping = await kamdash(["user", "import", file, "--skip-bad"]);
    expect(skipping.code).toBe(0);
    expect(skipping.out).toBe("4 rows, 2 valid, 2 imported, 2 errors");
    expect((await storedRows("kd9-imp3"))[0]?.ha1).toBe(
      subscriberHashes({
        username: "kd9-imp3",
        domain: OTHER_DOMAIN,
        password: "with, comma",
        realm: OTHER_DOMAIN,
      }).ha1,
    );
  });
});
