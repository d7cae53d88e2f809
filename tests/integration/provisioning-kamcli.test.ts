import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  addSubscriber,
  changeSubscriberPassword,
  listSubscribers,
  removeSubscriber,
} from "@/lib/provisioning/service";
import { setupAdminDatabase } from "./admin-support";
import { kamailioDb, labDbUrl, OTHER_DOMAIN, setupProvisioning, storedRows } from "./provisioning-support";

// Hash compatibility with Debian's kamcli (package kamcli, SQLAlchemy + python3-psycopg2) on the lab database:
// the same input gives the same ha1/ha1b, and rows kamcli wrote are listed, changed and removed by kamdash.

setupAdminDatabase();
setupProvisioning();

const dir = mkdtempSync(path.join(tmpdir(), "kd9-kamcli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kamcli(...args: string[]): string {
  const ini = path.join(dir, "kamcli.ini");
  const url = labDbUrl().replace(/^postgres(ql)?:/, "postgresql+psycopg2:");
  writeFileSync(ini, `[main]\ndomain=${OTHER_DOMAIN}\n[db]\nrwurl=${url}\nrourl=${url}\n`);
  return execFileSync("kamcli", ["--no-default-configs", "-c", ini, ...args], { encoding: "utf8" });
}

const hashes = async (username: string) =>
  (await storedRows(username)).map(({ domain, ha1, ha1b }) => ({ domain, ha1, ha1b }));

describe("kamcli compatibility", () => {
  it.each([
    ["plain", "kd9-kc1", "s3cret-password"],
    ["quotes, colon, at, non-ASCII", "kd9-kc2", `Pä"ss:w@rd'ü`],
  ])(
    "kamdash stores the hashes kamcli stores for the same input (%s)",
    async (_label, username, password) => {
      kamcli("subscriber", "add", "-t", "no", `${username}@${OTHER_DOMAIN}`, password);
      const byKamcli = await hashes(username);
      expect(byKamcli).toHaveLength(1);
      await kamailioDb().query("DELETE FROM subscriber WHERE username = $1", [username]);
      await addSubscriber("cli", { username, domain: OTHER_DOMAIN, password });
      expect(await hashes(username)).toEqual(byKamcli);
    },
  );

  it("lists, changes and removes a user kamcli created (and clears the clear text kamcli stored)", async () => {
    kamcli("subscriber", "add", `kd9-kc3@${OTHER_DOMAIN}`, "kamcli password");
    expect((await storedRows("kd9-kc3"))[0]?.password).toBe("kamcli password");
    const page = await listSubscribers({ q: "kd9-kc3", page: 1, pageSize: 50 });
    expect(page.rows).toEqual([
      { aor: `kd9-kc3@${OTHER_DOMAIN}`, username: "kd9-kc3", domain: OTHER_DOMAIN, createdBy: null },
    ]);

    await changeSubscriberPassword("cli", `kd9-kc3@${OTHER_DOMAIN}`, { password: "kamdash password" });
    const ours = await storedRows("kd9-kc3");
    expect(ours[0]?.password).toBe("");
    kamcli("subscriber", "passwd", "-t", "no", `kd9-kc3@${OTHER_DOMAIN}`, "kamdash password");
    expect(await storedRows("kd9-kc3")).toEqual(ours);

    await removeSubscriber("cli", `kd9-kc3@${OTHER_DOMAIN}`);
    expect(await storedRows("kd9-kc3")).toEqual([]);
    expect(kamcli("subscriber", "show", "-F", "json", `kd9-kc3@${OTHER_DOMAIN}`).trim()).not.toContain(
      "kd9-kc3",
    );
  });
});
