import path from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { createKamailioClient } from "@/lib/kamailio/client";
import { openWhen, signIn } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

// The node page's RTPEngine Disable / Enable in Chromium against the real app polling the lab: an operator takes
// the lab's RTPEngine out of Kamailio's selection with the inline confirmation, sees the state change and the
// audit row, then puts it back; the app's poller writes one rtpengine_disabled and one rtpengine_enabled event,
// shown on /events. afterAll enables the instance again whatever happened.

const suite = setupDashboardApp();
let instanceUrl: string | undefined;

afterAll(async () => {
  if (!instanceUrl) return;
  await createKamailioClient({ url: suite.lab().rpc, timeoutMs: 3_000 }).rtpengineEnable(instanceUrl, true);
});

/** Clicks the row's action, checks the inline question, confirms and waits for Kamailio's answer. */
async function act(row: Locator, label: string, question: string, answer: string): Promise<void> {
  await row.getByRole("button", { name: label }).click();
  expect(await row.locator("[data-testid='action-confirm']").textContent()).toBe(question);
  await row.getByRole("button", { name: "Yes" }).click();
  await row.getByRole("status").filter({ hasText: answer }).waitFor({ timeout: 10_000 });
}

describe("node page: RTPEngine Disable / Enable", () => {
  it("an operator disables the lab's RTPEngine with confirmation, sees it and the audit row, then enables it", async () => {
    const lab = suite.lab();
    const url = `udp:${lab.rtpengine.ng}`;
    instanceUrl = url;
    const base = suite.baseUrl();
    const { page, errors } = await suite.newPage();
    await signIn(page, base, "/overview", "admin", suite.adminPassword);

    const row = page.locator("[data-testid='media-server']", { hasText: url });
    const state = (text: string) => async () => (await row.locator("td").nth(1).textContent()) === text;
    await openWhen(page, `${base}/nodes/lab`, state("up"), "the lab's RTPEngine up");

    // "No" sends nothing
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByRole("button", { name: "No" }).click();
    expect(await row.getByRole("button", { name: "Disable" }).count()).toBe(1);

    await act(
      row,
      "Disable",
      `Take ${url} out of Kamailio's selection? New calls go to the other instances.`,
      "disabled",
    );
    await openWhen(page, `${base}/nodes/lab`, state("disabled (permanent)"), "the disabled state");
    expect(await row.getByRole("button", { name: "Enable" }).count()).toBe(1);
    expect((await createKamailioClient({ url: lab.rpc }).rtpengineShowAll())[0]?.state).toBe("disabled");
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, "node-rtpengine-disabled.png") });

    await page.goto(`${base}/admin/audit?action=rtpengine.`);
    const newest = page.locator("[data-testid='audit-row']").first();
    expect(await newest.textContent()).toMatch(/operator:admin\s*rtpengine\.disable/);
    expect(await newest.textContent()).toContain(url);

    await openWhen(page, `${base}/nodes/lab`, state("disabled (permanent)"), "the disabled state");
    await act(row, "Enable", `Put ${url} back into Kamailio's selection?`, "enabled");
    await openWhen(page, `${base}/nodes/lab`, state("up"), "the enabled state");
    expect(await row.getByRole("button", { name: "Disable" }).count()).toBe(1);

    await page.goto(`${base}/admin/audit?action=rtpengine.`);
    const rows = page.locator("[data-testid='audit-row']");
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/operator:admin\s*rtpengine\.enable/);
    expect(await rows.nth(1).textContent()).toMatch(/operator:admin\s*rtpengine\.disable/);

    // the app's poller saw both changes: one event each on /events
    const items = page.locator("[data-testid='event-list'] li", { hasText: url });
    await openWhen(
      page,
      `${base}/events?node=lab&within=15m`,
      async () => (await items.filter({ hasText: "rtpengine_enabled" }).count()) > 0,
      "the rtpengine_enabled event",
    );
    expect(await items.filter({ hasText: "rtpengine_enabled" }).count()).toBe(1);
    expect(await items.filter({ hasText: "rtpengine_disabled" }).count()).toBe(1);
    expect(await items.filter({ hasText: "rtpengine_disabled" }).textContent()).toContain(
      "disabled (permanent)",
    );
    expect(errors).toEqual([]);
  }, 180_000);
});
