import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLabArgs } from "../../scripts/lab/cli-args";
import {
  buildLabConfig,
  labConfigSchema,
  readKamailioMode,
  writeKamailioMode,
} from "../../scripts/lab/config";
import { digestHashes, labUsers } from "../../scripts/lab/db";
import { type KamailioSettings, kamailioDefines, kamailioFingerprint } from "../../scripts/lab/kamailio";
import { repoRoot, statePaths } from "../../scripts/lab/paths";

describe("lab subscribers", () => {
  it("computes ha1/ha1b as kamctl does (realm = domain), checked against md5sum", () => {
    expect(digestHashes("1001", "127.0.0.1", "secret")).toEqual({
      ha1: "2c8f61e3df784c486fcb20d39acc33bb",
      ha1b: "a17e54d7b50c54f04af07d4b76d0d4fb",
    });
  });

  it("keeps recorded passwords and numbers new users from 1001", () => {
    const users = labUsers(3, [{ username: "1002", password: "kept" }]);
    expect(users.map((user) => user.username)).toEqual(["1001", "1002", "1003"]);
    expect(users[1]?.password).toBe("kept");
    expect(users[0]?.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(users[0]?.password).not.toBe(users[2]?.password);
  });
});

describe("lab.json", () => {
  it("has the endpoints of the shared contract", () => {
    const config = labConfigSchema.parse(
      buildLabConfig("postgres://db/kamailio", [], ["http://127.0.0.1:8088"]),
    );
    expect(config).toMatchObject({
      domain: "127.0.0.1",
      sip: {
        udp: "127.0.0.1:5060",
        tcp: "127.0.0.1:5060",
        tls: "127.0.0.1:5061",
        ws: "ws://127.0.0.1:8080",
        wss: "wss://127.0.0.1:8443",
      },
      rpc: "http://127.0.0.1:5080/RPC",
      rtpengine: { ng: "127.0.0.1:22222", http: "http://127.0.0.1:22223" },
      db: "postgres://db/kamailio",
    });
  });
});

describe("usrloc DB-only mode", () => {
  const paths = statePaths("/tmp/kamdash-lab-unit");
  const settings = (usrlocDbOnly: boolean): KamailioSettings => ({
    dbUrl: "postgres://postgres@127.0.0.1:5432/kamailio",
    domain: "127.0.0.1",
    origins: ["http://127.0.0.1:8088"],
    shmMb: 1536,
    pkgMb: 32,
    openFilesLimit: 4096,
    usrlocDbOnly,
  });

  it("is off unless lab:up gets --usrloc-db-only", () => {
    expect(parseLabArgs(["--users", "64"]).usrlocDbOnly).toBeUndefined();
    expect(parseLabArgs(["--usrloc-db-only", "--users", "64"])).toMatchObject({
      usrlocDbOnly: true,
      users: 64,
    });
  });

  it("passes the USRLOC_DB_ONLY flag define only in DB-only mode", () => {
    const on = kamailioDefines(paths, settings(true));
    const off = kamailioDefines(paths, settings(false));
    expect(on).toEqual([...off, "-A", "USRLOC_DB_ONLY"]);
    expect(off.join(" ")).not.toContain("USRLOC_DB_ONLY");
  });

  it("changes the restart fingerprint, so lab:up with or without the flag restarts Kamailio", async () => {
    const on = await kamailioFingerprint(paths, settings(true));
    expect(on).not.toBe(await kamailioFingerprint(paths, settings(false)));
    expect(on).toBe(await kamailioFingerprint(paths, settings(true)));
  });

  it("switches usrloc db_mode (and its db_url) in modules.cfg with #!ifdef USRLOC_DB_ONLY", async () => {
    const cfg = await readFile(path.join(repoRoot, "gateway", "modules.cfg"), "utf8");
    const block = cfg.match(/#!ifdef USRLOC_DB_ONLY\n([\s\S]*?)#!else\n([\s\S]*?)#!endif/);
    expect(block?.[1]).toContain('modparam("usrloc", "db_mode", 3)');
    expect(block?.[1]).toContain('modparam("usrloc", "db_url", DBURL)');
    expect(block?.[2]).toContain('modparam("usrloc", "db_mode", 0)');
    expect(cfg.match(/modparam\("usrloc", "db_mode"/g)).toHaveLength(2); // no unconditional one elsewhere
  });

  it("records the mode in the state folder (not in lab.json)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kamdash-lab-mode-"));
    try {
      expect(await readKamailioMode(dir)).toBeNull();
      await writeKamailioMode(dir, { usrlocDbMode: 3 });
      expect(await readKamailioMode(dir)).toEqual({ usrlocDbMode: 3 });
      expect(statePaths(dir).kamailioMode).toBe(path.join(dir, "kamailio-mode.json"));
      await writeFile(statePaths(dir).kamailioMode, '{"usrlocDbMode":2}\n');
      expect(await readKamailioMode(dir)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
