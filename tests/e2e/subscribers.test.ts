import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { kamailioRpc } from "../support/kamailio-rpc";
import { SipWsUa } from "../support/sip-ws-ua";
import { withTimeout } from "../support/wait";
import { signIn } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

// Provisioning in Chromium against the real app and the lab's Kamailio database: an operator adds a user with a
// generated password, which registers over WSS at once; finds it in the list; changes its password (the old one is
// then refused, the new one accepted); removes it with its registrations and socket. Also: per-field errors, a CSV
// import (dry run, per-row errors, skip the bad rows), and a viewer who only reads. Usernames start with kd9ui-.

const suite = setupDashboardApp({ KAMDASH_HEAVY_INTERVAL_MS: "2000" });
const PREFIX = "kd9ui-";
const run = randomBytes(3).toString("hex");
const uas: SipWsUa[] = [];

afterAll(async () => {
  await Promise.allSettled(uas.map((ua) => ua.close()));
  const lab = suite.lab();
  const client = new pg.Client({ connectionString: lab.db });
  await client.connect();
  try {
    const left = await client.query<{ username: string }>(
      "DELETE FROM subscriber WHERE username LIKE $1 RETURNING username",
      [`${PREFIX}%`],
    );
    for (const { username } of left.rows) {
      await kamailioRpc(lab.rpc, "ul.rm", "location", username).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}, 60_000);

/** A WSS UA (like a browser softphone) for `username` on the lab; closed after the file. */
async function wssUa(username: string, password: string): Promise<SipWsUa> {
  const lab = suite.lab();
  const ua = await SipWsUa.connect({
    url: lab.sip.wss,
    origin: lab.origins[0] ?? "",
    domain: lab.domain,
    username,
    password,
    contactTransport: "wss",
  });
  uas.push(ua);
  return ua;
}

/** REGISTER once over a new WSS connection; the final status (200 or the refusal). */
async function registerStatus(username: string, password: string): Promise<number> {
  const ua = await wssUa(username, password);
  const { final } = await ua.register();
  await ua.close();
  return final.status;
}

/** Reloads `url` until `ready` holds (the poller reads ul.dump every 2 s here). */
async function openWhen(page: Page, url: string, ready: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await page.goto(url);
    if (await ready()) return;
    await page.waitForTimeout(1_000);
  }
  await page.screenshot({ path: path.join(screenshotDir, "subscribers-failed.png") });
  const shown = (await page.locator("main").textContent())?.slice(0, 500);
  throw new Error(`${what}: not shown within 30 loads of ${url}; the page shows: ${shown}`);
}

async function countRows(username: string): Promise<number> {
  const client = new pg.Client({ connectionString: suite.lab().db });
  await client.connect();
  try {
    const result = await client.query("SELECT 1 FROM subscriber WHERE username = $1", [username]);
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe("subscribers in the browser", () => {
  it("adds a user with a generated password, lists it, changes its password and removes it", async () => {
    const lab = suite.lab();
    const username = `${PREFIX}${run}-a`;
    const aor = `${username}@${lab.domain}`;
    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/subscribers", "admin", suite.adminPassword);

    // per-field errors from the API, nothing written
    await page.fill("#add-username", `${PREFIX}bad user<b>`);
    await page.getByRole("button", { name: "Add user" }).click();
    await page.locator("[data-testid='add-error-username']").waitFor();
    expect(await page.locator("[data-testid='add-error-username']").textContent()).not.toBe("");
    expect(await countRows(`${PREFIX}bad user<b>`)).toBe(0);

    // add with "Generate a strong password" (the default choice); the password is shown once
    await page.fill("#add-username", username);
    expect(await page.locator("#add-domain").inputValue()).toBe(lab.domain);
    await page.check("text=Generate a strong password");
    await page.getByRole("button", { name: "Add user" }).click();
    const shown = page.locator("[data-testid='generated-password']");
    await shown.waitFor({ timeout: 10_000 });
    const generated = (await shown.textContent()) ?? "";
    expect(generated.length).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: path.join(screenshotDir, "subscribers-added.png") });

    // it registers over WSS on the first try: no Kamailio restart, no waiting
    const phone = await wssUa(username, generated);
    expect((await phone.register()).final.status).toBe(200);

    // listed (server-side search), linked to its page, which shows the live registration
    await page.goto(`${suite.baseUrl()}/subscribers?q=${encodeURIComponent(username)}`);
    const row = page.locator("[data-testid='subscribers-table-row']", { hasText: aor });
    expect(await row.count()).toBe(1);
    expect(await page.locator("[data-testid='subscribers-table-row']").count()).toBe(1);
    await row.locator("[data-testid='subscriber-link']").click();
    await page.waitForURL(`**/subscribers/${encodeURIComponent(aor)}`);
    const detailUrl = page.url();
    const state = page.locator("[data-testid='registration-state']");
    await openWhen(
      page,
      detailUrl,
      async () =>
        (await state.count()) > 0 && /Registered: 1 contact/.test((await state.textContent()) ?? ""),
      "registration",
    );
    expect(await page.locator("[data-testid='connections-table']").textContent()).toContain("WSS");
    await page.screenshot({ path: path.join(screenshotDir, "subscriber-page.png") });

    // change the password to a typed one holding quotes, ':' '@' and non-ASCII letters
    const typed = `Nëw:"pass"@${run}`;
    await page.check("text=Type one");
    await page.fill("#passwd-password", typed);
    await page.getByRole("button", { name: "Change password" }).click();
    expect(await page.locator("[data-testid='passwd-confirm']").textContent()).toContain(aor);
    await page.locator("[data-testid='change-password-form']").getByRole("button", { name: "Yes" }).click();
    await page.locator("[data-testid='passwd-result']").filter({ hasText: "Password changed" }).waitFor();
    expect(await registerStatus(username, generated)).not.toBe(200);
    expect(await registerStatus(username, typed)).toBe(200);

    // remove it, dropping its registrations and closing its socket
    await page.check("text=also drop its registrations (ul.rm)");
    await page.check("text=close its sockets");
    await page.getByRole("button", { name: "Remove user" }).click();
    expect(await page.locator("[data-testid='remove-confirm']").textContent()).toContain(aor);
    await page.locator("[data-testid='remove-subscriber']").getByRole("button", { name: "Yes" }).click();
    await page.waitForURL(
      (url) => url.pathname === "/subscribers" && url.searchParams.get("removed") === aor,
    );
    expect(await page.locator("[data-testid='remove-result']").textContent()).toMatch(
      /registrations? dropped.*sockets? closed/,
    );
    await withTimeout(phone.connection.closed, 10_000, "the removed user's WSS connection to be closed");
    expect(await registerStatus(username, typed)).not.toBe(200);
    expect(await countRows(username)).toBe(0);
    await page.goto(`${suite.baseUrl()}/subscribers?q=${encodeURIComponent(username)}`);
    expect(await page.locator("[data-testid='subscribers-table-row']").count()).toBe(0);
    // the one failed load is the refused add above
    expect(errors).toEqual([`400 ${suite.baseUrl()}/api/v1/subscribers`]);
  }, 240_000);

  it("imports a CSV: the dry run lists the bad row by line, then the good rows are imported", async () => {
    const lab = suite.lab();
    const good = [`${PREFIX}${run}-i1`, `${PREFIX}${run}-i2`];
    const csv = [
      "username,domain,password",
      `${good[0]},${lab.domain},Imported-Pass-1`,
      `${good[1]},${lab.domain},Imported-Pass-2`,
      `${PREFIX}${run}-i3,${lab.domain},x`,
    ].join("\n");
    const file = path.join(tmpdir(), `kd9ui-import-${run}.csv`);
    await writeFile(file, `${csv}\n`);
    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/subscribers/import", "admin", suite.adminPassword);
    await page.setInputFiles("[data-testid='import-file']", file);
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.locator("[data-testid='import-dry-result']").waitFor({ timeout: 30_000 });
    const bad = page.locator("[data-testid='import-error-row']");
    expect(await bad.count()).toBe(1);
    expect(await bad.locator("td").first().textContent()).toBe("4");
    expect(await countRows(good[0] ?? "")).toBe(0);
    await page.check("text=skip the bad rows, import the rest");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.locator("[data-testid='import-result']").waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-testid='import-result'] [role='status']").textContent()).toContain(
      "Imported 2 of 3",
    );
    expect(await page.locator("[data-testid='import-progress']").textContent()).toContain("3 of 3 rows");
    await page.screenshot({ path: path.join(screenshotDir, "subscribers-import.png") });
    for (const username of good) expect(await countRows(username)).toBe(1);
    expect(await registerStatus(good[0] ?? "", "Imported-Pass-1")).toBe(200);
    expect(errors).toEqual([]);
  }, 120_000);

  it("shows a viewer the list without any form or button", async () => {
    const viewerPassword = `e2e-viewer-${randomBytes(8).toString("hex")}`;
    const { createOperator } = await import("@/lib/auth/operators");
    await createOperator({ username: "kd9ui-viewer", password: viewerPassword, role: "viewer" });
    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/subscribers", "kd9ui-viewer", viewerPassword);
    await page.locator("[data-testid='subscribers-table']").waitFor();
    expect(await page.locator("[data-testid='subscribers-table-row']").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-testid='add-subscriber-form']").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Import CSV…" }).count()).toBe(0);
    await page.locator("[data-testid='subscriber-link']").first().click();
    await page.locator("[data-testid='subscriber-page']").waitFor();
    expect(await page.locator("[data-testid='change-password-form']").count()).toBe(0);
    expect(await page.locator("[data-testid='remove-subscriber']").count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
