import path from "node:path";
import { describe, expect, it } from "vitest";
import { signIn } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

// The node page (/nodes/<name>) against the lab: the live header, the history charts drawn from PostgreSQL
// samples the app's own poller wrote, the range switch, and a 404 for a node that does not exist.

const suite = setupDashboardApp();
const CHARTS = [
  "connections",
  "registrations",
  "dialogs",
  "branch-failure",
  "handshake",
  "ws-handshakes",
  "sessions",
];

describe("node page", () => {
  it("shows the lab node's header, its charts and switches the range without losing them", async () => {
    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);

    // the overview's node table links the node's name to its page
    await page.click("[data-testid='node-row'][data-node='lab'] [data-testid='node-link']");
    await page.waitForURL((url) => url.pathname === "/nodes/lab");

    await page.waitForSelector("[data-testid='node-header'][data-up='true']", { timeout: 30_000 });
    expect(await page.textContent("[data-testid='node-state']")).toBe("up");
    expect(await page.textContent("[data-testid='node-version']")).toMatch(/kamailio \d+\.\d+\.\d+.* · up /i);
    for (const id of ["branch-failure", "handshake", "sessions", "sockets"]) {
      const item = page.locator(`[data-testid='node-health-${id}']`);
      expect(await item.count(), id).toBe(1);
      // a number or "—"/"too few" with its reason: never empty, never NaN
      expect(await item.textContent(), id).not.toMatch(/NaN|undefined/);
    }

    // 1 h: raw samples in 1-minute buckets, one chart per number, each saying where its points come from
    const charts = page.locator("[data-testid='node-charts']");
    await page.waitForSelector("[data-testid='node-chart-connections'] svg.recharts-surface", {
      timeout: 30_000,
    });
    expect(await charts.getAttribute("data-range")).toBe("1h");
    expect(await charts.getAttribute("data-resolution")).toBe("raw");
    for (const id of CHARTS) {
      const chart = page.locator(`[data-testid='node-chart-${id}']`);
      expect(await chart.count(), id).toBe(1);
      expect(await chart.textContent(), id).toContain("raw samples, 1 min buckets");
    }
    // the lab's samples since the app started are in the charts' data (a fresh app: a minute or two of them)
    expect(Number(await charts.getAttribute("data-up-buckets"))).toBeGreaterThanOrEqual(1);
    expect(await charts.getAttribute("data-down-spans")).toBe("0");
    expect(await page.textContent("[data-testid='node-chart-branch-failure']")).toContain("1 % limit");
    expect(await page.textContent("[data-testid='node-chart-handshake']")).toContain("500 ms limit");
    await page.screenshot({ path: path.join(screenshotDir, "node-lab.png") });

    // 24 h: read from 1-minute rollups (plus raw samples for the minutes not rolled up yet)
    await page.click("[data-testid='history-range'] a:text-is('24h')");
    await page.waitForURL((url) => url.pathname === "/nodes/lab" && url.searchParams.get("range") === "24h");
    await page.waitForSelector("[data-testid='node-charts'][data-range='24h']", { timeout: 30_000 });
    expect(await charts.getAttribute("data-resolution")).toBe("1m");
    expect(await page.getAttribute("[data-testid='history-range'] a:text-is('24h')", "aria-current")).toBe(
      "page",
    );
    await page.waitForSelector("[data-testid='node-chart-connections'] svg.recharts-surface");

    // an unknown range falls back to 1 h rather than failing
    await page.goto(`${suite.baseUrl()}/nodes/lab?range=2y`);
    await page.waitForSelector("[data-testid='node-charts'][data-range='1h']", { timeout: 30_000 });
    expect(errors).toEqual([]);
  });

  it("answers 404 for a node that does not exist", async () => {
    const { page } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);
    for (const name of ["no-such-node", "bad%20name"]) {
      const response = await page.goto(`${suite.baseUrl()}/nodes/${name}`);
      expect(response?.status(), name).toBe(404);
      expect(await page.locator("[data-testid='node-page']").count(), name).toBe(0);
    }
  });
});
