import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import type { SipRequest } from "../support/sip-message";
import { SipWsUa } from "../support/sip-ws-ua";
import { startSippCallee } from "../support/sipp-phones";
import { openWhen, signIn } from "./support/page-state";
import { setupDashboardApp } from "./support/suite";

// SIP text the users control, shown as text on every page that shows it, in Chromium against the real app
// polling the lab. A WSS user registers and calls a UDP phone with markup in its User-Agent, in the From, To and
// Contact display names and in the Call-ID. Kamailio keeps no display name (ul.dump and dlg.list carry URIs only),
// so those can only be checked not to run; the User-Agent and the Call-ID must appear literally. On each page: no
// script ran (window.__xss), no alert/confirm fired, no <img src=x> in the DOM. Lab users 82..83.

const suite = setupDashboardApp({ KAMDASH_HEAVY_INTERVAL_MS: "2000" });
const gateway = setUpGatewayFixture({ first: 82, count: 2 });
const IMG = "<img src=x onerror=window.__xss=1>";
const SCRIPT = "<script>window.__xss=2</script>";
const HOSTILE_UA = `${IMG}${SCRIPT} evil/1.0`;
const DISPLAY_NAME = `"${IMG}${SCRIPT}"`;
const HOSTILE_CALL_ID = `${IMG}${SCRIPT}${randomBytes(6).toString("hex")}`;

/** Puts DISPLAY_NAME in front of the From, To and Contact addresses of every request the UA sends. */
function withDisplayNames(ua: SipWsUa): void {
  const send = ua.connection.sendRequest.bind(ua.connection);
  ua.connection.sendRequest = (request: SipRequest, options) => {
    for (const h of request.headers) {
      if (["from", "to", "contact"].includes(h.name.toLowerCase()) && h.value.startsWith("<")) {
        h.value = `${DISPLAY_NAME} ${h.value}`; // in place: the dialog built from the INVITE keeps it
      }
    }
    return send(request, options);
  };
}

/** Nothing the SIP text holds ran or became an element on the page now shown. */
async function expectInert(page: Page, fired: string[], what: string): Promise<void> {
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss), what).toBeUndefined();
  expect(await page.locator("img[src='x']").count(), what).toBe(0);
  expect(fired, what).toEqual([]);
}

/** The text as rendered: textContent would also hold the inline scripts' data, where the text is JSON. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is checked, not the script data
const bodyText = (page: Page) => page.locator("body").innerText();

describe("hostile SIP text", () => {
  it("User-Agent, display names and Call-ID with markup: shown as text on every page, never run", async () => {
    const lab = suite.lab();
    const callerUser = await gateway.freshUser();
    const calleeUser = await gateway.freshUser();
    const callee = await startSippCallee(lab, calleeUser, "udp", "answer", 180_000);
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
    withDisplayNames(caller);
    expect((await caller.register()).final.status).toBe(200);
    const { response, call } = await caller.call(calleeUser.username, { callId: HOSTILE_CALL_ID });
    expect(response.status).toBe(200);
    if (!call) throw new Error("no call");
    gateway.onCleanup(() => call.hangUp().catch(() => undefined));

    const { page, errors } = await suite.newPage();
    const fired: string[] = [];
    page.on("dialog", (dialog) => {
      fired.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const base = suite.baseUrl();
    await signIn(page, base, "/overview", "admin", suite.adminPassword);
    const user = callerUser.username;
    const q = encodeURIComponent;

    // the user page: the contact's User-Agent and the live call's Call-ID
    const callRow = page.locator("[data-testid='dialogs-table-row']", { hasText: HOSTILE_CALL_ID });
    await openWhen(
      page,
      `${base}/users/${user}`,
      async () => (await callRow.count()) === 1,
      "user page call",
    );
    expect(await page.locator("[data-testid='registrations-table']").textContent()).toContain(HOSTILE_UA);
    await expectInert(page, fired, "user page");

    // the lists: connections and registrations show the User-Agent, dialogs the Call-ID
    for (const [path, text] of [
      [`/connections?user=${user}`, HOSTILE_UA],
      [`/registrations?user=${user}`, HOSTILE_UA],
      [`/dialogs?user=${user}`, HOSTILE_CALL_ID],
      [`/dialogs?callId=${q(HOSTILE_CALL_ID)}`, HOSTILE_CALL_ID],
    ] as const) {
      const table = page.locator("table", { hasText: text });
      await openWhen(page, `${base}${path}`, async () => (await table.count()) > 0, path);
      expect(await bodyText(page), path).toContain(text);
      await expectInert(page, fired, path);
    }

    // search: a live Call-ID leads to its dialog; text matching nothing is echoed back as text
    await page.goto(`${base}/search?q=${q(HOSTILE_CALL_ID)}`);
    await page.waitForURL((url) => url.pathname === "/dialogs");
    expect(new URL(page.url()).searchParams.get("callId")).toBe(HOSTILE_CALL_ID);
    expect(await bodyText(page)).toContain(HOSTILE_CALL_ID);
    await expectInert(page, fired, "search by Call-ID");
    await page.goto(`${base}/search?q=${q(`${IMG}${SCRIPT}`)}`);
    expect(await bodyText(page)).toContain(`Nothing the nodes hold right now matches “${IMG}${SCRIPT}”`);
    await expectInert(page, fired, "search matching nothing");
    await page.goto(`${base}/search?q=${user}`);
    await page.waitForURL((url) => url.pathname.startsWith("/users/") || url.pathname === "/search");
    await expectInert(page, fired, "search by user");

    // events: the call's dialog_started, found by its Call-ID (the filter box keeps it as typed)
    const started = page.locator("[data-testid='event-list'] li", { hasText: "dialog_started" });
    const eventsUrl = `${base}/events?callId=${q(HOSTILE_CALL_ID)}`;
    await openWhen(page, eventsUrl, async () => (await started.count()) > 0, "dialog_started event");
    expect(await page.locator("#filter-callId").inputValue()).toBe(HOSTILE_CALL_ID);
    await expectInert(page, fired, "events by Call-ID");
    await page.goto(`${base}/events?aor=${user}`);
    await expectInert(page, fired, "events by user");

    // the node page (media servers, headline numbers) and the overview
    for (const path of ["/nodes/lab", "/overview"]) {
      await page.goto(`${base}${path}`);
      await expectInert(page, fired, path);
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
