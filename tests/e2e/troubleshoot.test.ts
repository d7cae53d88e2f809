import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { SipWsUa } from "../support/sip-ws-ua";
import { startSippCallee } from "../support/sipp-phones";
import { withTimeout } from "../support/wait";
import { openWhen, signIn } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

// On-call troubleshooting in Chromium against the real app polling the lab: a WSS user whose User-Agent holds
// markup calls a UDP phone; the engineer types the username in the search box, lands on the user page, sees the
// contact, the connection and the live call, ends the call with a confirmation, and the audit log has the row.
// The hostile User-Agent is shown as text on every page that lists it and never runs. Lab users 48..49.

const suite = setupDashboardApp({ KAMDASH_HEAVY_INTERVAL_MS: "2000" });
const gateway = setUpGatewayFixture({ first: 48, count: 2 });
const HOSTILE_UA = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> evil/1.0`;

const noScriptRan = (page: Page) => page.evaluate(() => (window as { __xss?: number }).__xss);

describe("on-call troubleshooting", () => {
  it("search a user, see its call, end it with confirmation and find the audit row; SIP text stays text", async () => {
    const lab = suite.lab();
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await startSippCallee(lab, calleeUser, "udp", "answer", 120_000);
    gateway.onCleanup(() => callee.stop());
    const caller = await SipWsUa.connect({
      url: lab.sip.wss,
      origin: lab.origins[0] ?? "",
      domain: lab.domain,
      username: callerUser.username,
      password: callerUser.password,
      contactTransport: "wss",
      userAgent: HOSTILE_UA,
    });
    gateway.onCleanup(() => caller.close());
    expect((await caller.register()).final.status).toBe(200);
    const { response, call } = await caller.call(calleeUser.username);
    expect(response.status).toBe(200);
    if (!call) throw new Error("no call");

    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);
    await page.fill("[data-testid='global-search']", callerUser.username);
    await page.press("[data-testid='global-search']", "Enter");
    await page.waitForURL(`**/users/${callerUser.username}`);
    const userUrl = page.url();
    const callRow = page.locator("[data-testid='dialogs-table-row']", { hasText: call.callId });
    await openWhen(
      page,
      userUrl,
      async () => (await callRow.count()) === 1,
      "the live call on the user page",
    );
    expect(await callRow.textContent()).toContain("wss→udp");
    const registrations = await page.locator("[data-testid='registrations-table']").textContent();
    expect(registrations).toContain(HOSTILE_UA);
    expect(await page.locator("[data-testid='connections-table']").textContent()).toContain("WSS");
    expect(await noScriptRan(page)).toBeUndefined();
    await page.screenshot({ path: path.join(screenshotDir, "user-page.png") });

    await callRow.getByRole("button", { name: "End call" }).click();
    expect(await callRow.locator("[data-testid='action-confirm']").textContent()).toContain(
      "Kamailio sends BYE",
    );
    await callRow.getByRole("button", { name: "Yes" }).click();
    // the answer stays on the page (action outcomes) even though the ended call's row goes at the next refresh
    const outcome = page
      .locator("[data-testid='action-outcomes'] > div")
      .filter({ hasText: `End call ${call.callId}` });
    await outcome.waitFor({ timeout: 10_000 });
    expect(await outcome.textContent()).toContain("BYE sent to both legs");
    expect((await withTimeout(call.endedByRemote, 10_000, "BYE to the WSS caller")).method).toBe("BYE");

    const { getDb } = await import("@/lib/db");
    const audit = await (await getDb()).auditLog.findMany({ where: { action: "dialog.end" } });
    expect(audit).toEqual([
      expect.objectContaining({ actor: "operator:admin", result: "ok", detail: { callId: call.callId } }),
    ]);

    // the admin's audit page shows the action, and the user's events include its registration
    await page.goto(`${suite.baseUrl()}/admin/audit?action=dialog.`);
    expect(await page.locator("[data-testid='audit-row']").first().textContent()).toMatch(
      /operator:admin\s*dialog\.end/,
    );
    const registered = page.locator("[data-testid='event-list'] li", { hasText: "registration_added" });
    await openWhen(
      page,
      `${suite.baseUrl()}/events?aor=${callerUser.username}`,
      async () => (await registered.count()) > 0,
      "events",
    );

    for (const listPath of [
      `/connections?user=${callerUser.username}`,
      `/registrations?user=${callerUser.username}`,
    ]) {
      const table = page.locator("table", { hasText: HOSTILE_UA });
      await openWhen(page, `${suite.baseUrl()}${listPath}`, async () => (await table.count()) > 0, listPath);
      expect(await noScriptRan(page)).toBeUndefined();
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
