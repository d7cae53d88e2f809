import { createServer, type Server } from "node:http";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { AlertsResponse } from "@/lib/alerts/api-schema";
import { freePort } from "../support/ports";
import { waitFor } from "../support/wait";
import { signIn, waitForLiveStatus } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";
import { openWall } from "./support/wall";

// An alert rule end to end in Chromium against the real app polling the lab: an admin adds a node-down rule on
// /admin/alerts for an extra node whose JSON-RPC port has no listener; the rule fires, the wall (kiosk token)
// shows it prominently across the top with its rule, severity and node, and so does a dashboard page. Then a
// relay to the lab's JSON-RPC starts listening on that port: the node answers, the alert resolves and the banner
// goes. The admin deletes the rule. Screenshots at 1920×1080 in test-results/screenshots.

const suite = setupDashboardApp();
const NODE = "e2e-alerted";
const RULE = "E2E node unreachable";

/** Forwards JSON-RPC POSTs on 127.0.0.1:`port` to the lab's RPC URL: the extra node starts answering. */
async function startRpcRelay(port: number, target: string): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      fetch(target, {
        method: "POST",
        headers: { "content-type": request.headers["content-type"] ?? "application/json" },
        body: Buffer.concat(chunks),
      })
        .then(async (answer) => {
          response.writeHead(answer.status, { "content-type": "application/json" });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

async function adminApi(token: string, method: string, apiPath: string, body?: unknown): Promise<Response> {
  return fetch(`${suite.baseUrl()}${apiPath}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const bannerItem = (page: Page) =>
  page.locator(`[data-testid='alert-banner'] li[data-rule='${RULE}'][data-node='${NODE}']`);

describe("alert banner", () => {
  it("an admin's node-down rule fires on the wall and a dashboard page, then resolves and goes away", async () => {
    const { createApiToken } = await import("@/lib/auth/api-tokens");
    const token = (await createApiToken({ name: "e2e-alert-admin", role: "admin" })).token;
    const port = await freePort();
    const added = await adminApi(token, "POST", "/api/v1/nodes", {
      name: NODE,
      rpcUrl: `http://127.0.0.1:${port}/RPC`,
    });
    expect(added.status).toBe(201);
    let relay: Server | undefined;
    try {
      // the rule, through the admin page's form
      const admin = await suite.newPage();
      await signIn(admin.page, suite.baseUrl(), "/admin/alerts", "admin", suite.adminPassword);
      const form = admin.page.locator("[data-testid='alert-rule-create']");
      await form.locator("input[name='name']").fill(RULE);
      await form.locator("select[name='metric']").selectOption("node_down");
      await form.locator("select[name='node']").selectOption(NODE);
      await form.locator("select[name='comparator']").selectOption("gte");
      await form.locator("input[name='threshold']").fill("1");
      await form.locator("input[name='forSeconds']").fill("0");
      await form.locator("input[name='clearThreshold']").fill("0");
      await form.locator("input[name='clearForSeconds']").fill("0");
      await form.locator("select[name='severity']").selectOption("critical");
      await form.locator("button[type='submit']").click();
      await admin.page.locator(`[data-testid='alert-rule-row'][data-rule='${RULE}']`).waitFor();
      expect(await form.textContent()).toContain(`Added “${RULE}”.`);

      const wall = await openWall(suite, "e2e-wall-alert");
      await waitForLiveStatus(wall.page, "live");
      const item = bannerItem(wall.page);
      await item.waitFor({ timeout: 60_000 });
      // prominent: across the top of the 1920×1080 wall, in big type, white on red for a critical alert
      const shown = await item.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          // biome-ignore lint/performance/useDomNodeTextContent: the text as shown (the severity is CSS uppercase)
          text: (el as HTMLElement).innerText,
          top: box.top,
          width: box.width,
          fontPx: Number.parseFloat(style.fontSize),
          background: style.backgroundColor,
          color: style.color,
        };
      });
      expect(shown.text).toContain("CRITICAL");
      expect(shown.text).toContain(`${NODE}: ${RULE} — 1 ≥ 1`);
      expect(shown.text).toMatch(/since \d+(\.\d)? s/);
      expect(shown.top).toBeLessThan(200);
      expect(shown.width).toBeGreaterThan(1500);
      expect(shown.fontPx).toBeGreaterThanOrEqual(30);
      expect(shown.background).toBe("rgb(185, 28, 28)"); // bg-red-700
      expect(shown.color).toBe("rgb(255, 255, 255)");
      await wall.page.screenshot({ path: path.join(screenshotDir, "wall-alert-firing.png") });

      // every dashboard page carries it too
      await admin.page.goto(`${suite.baseUrl()}/overview`);
      const onPage = bannerItem(admin.page);
      await onPage.waitFor({ timeout: 20_000 });
      expect(await onPage.getAttribute("data-severity")).toBe("critical");
      expect(await onPage.textContent()).toContain(`${NODE}: ${RULE}`);
      await admin.page.screenshot({ path: path.join(screenshotDir, "overview-alert-firing.png") });

      // the node starts answering: resolved (clear at 0, for 0 s), the banner goes from both
      relay = await startRpcRelay(port, suite.lab().rpc);
      await item.waitFor({ state: "detached", timeout: 60_000 });
      await onPage.waitFor({ state: "detached", timeout: 30_000 }); // the page re-reads alerts every 10 s
      const alerts = await waitFor(
        async () => {
          const body = (await (await adminApi(token, "GET", "/api/v1/alerts")).json()) as AlertsResponse;
          return body.resolved.some((a) => a.rule === RULE) ? body : undefined;
        },
        { timeoutMs: 10_000, description: "the resolved alert in GET /api/v1/alerts" },
      );
      expect(alerts.firing.filter((a) => a.rule === RULE)).toEqual([]);
      expect(alerts.resolved.find((a) => a.rule === RULE)).toMatchObject({ node: NODE, state: "resolved" });
      expect(await wall.page.locator("[data-testid='alert-banner']").count()).toBe(0);
      await wall.page.screenshot({ path: path.join(screenshotDir, "wall-alert-resolved.png") });

      // and the admin deletes the rule from the page (after the browser's confirmation)
      await admin.page.goto(`${suite.baseUrl()}/admin/alerts`);
      admin.page.once("dialog", (dialog) => void dialog.accept());
      const row = admin.page.locator(`[data-testid='alert-rule-row'][data-rule='${RULE}']`);
      await row.locator("[data-testid='alert-rule-delete']").click();
      await row.waitFor({ state: "detached", timeout: 20_000 });
      const { getDb } = await import("@/lib/db");
      const audit = await (await getDb()).auditLog.findMany({
        where: { action: { startsWith: "alert_rule." } },
        orderBy: { id: "asc" },
      });
      expect(audit.map((a) => [a.actor, a.action])).toEqual([
        ["operator:admin", "alert_rule.create"],
        ["operator:admin", "alert_rule.delete"],
      ]);
      expect(wall.errors).toEqual([]);
      expect(admin.errors).toEqual([]);
    } finally {
      await adminApi(token, "DELETE", `/api/v1/nodes/${NODE}`);
      await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
    }
  }, 240_000);
});
