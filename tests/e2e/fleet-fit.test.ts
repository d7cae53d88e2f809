import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/wait";
import { addTestFleet, measureFit, readRows, type ShownRow, tilesCutByStrip } from "./support/fleet";
import { fetchOverview, signIn, waitForLiveStatus } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";
import { expectWallToMatch, openWall, wallWithApi } from "./support/wall";

// Issue #10 item 4: the overview and the wall fit 30 and 100 nodes at 1600×900 and on a 1080p wall, problems
// first, and the overview's node table sorts and filters with the view kept in the URL.

const suite = setupDashboardApp();
const SCREENS = [
  { width: 1600, height: 900 },
  { width: 1920, height: 1080 },
] as const;
const COLUMNS = [
  "name",
  "status",
  "connections",
  "registrations",
  "dialogs",
  "rtpengine",
  "branch",
  "sessions",
];

/** Until the API lists `total` nodes, `down` of them down (new nodes are picked up within 15 poll cycles). */
function waitForFleet(page: Page, total: number, down: number) {
  return waitFor(
    async () => {
      const api = await fetchOverview(page);
      const downNow = api.nodes.filter((n) => !n.up).length;
      if (api.nodes.length !== total || downNow !== down)
        throw new Error(`${api.nodes.length} nodes, ${downNow} down`);
      return api;
    },
    { timeoutMs: 120_000, description: `${total} nodes, ${down} of them down` },
  );
}

const params = (page: Page) => new URL(page.url()).searchParams;

/** Until the URL asks for this order and the table shows it (its header says so once the rows are re-sorted). */
function waitForSorted(page: Page, column: string, dir: "asc" | "desc") {
  return waitFor(
    async () =>
      params(page).get("sort") === column &&
      (params(page).get("dir") ?? "asc") === dir &&
      (await page.getAttribute(`[data-testid='node-col-${column}']`, "data-sort")) === dir,
    { description: `?sort=${column}&dir=${dir} and the table sorted so` },
  );
}

/** Up rows ordered by registrations (nulls last whatever the direction), as the table must show them. */
function byRegistrations(rows: ShownRow[], desc: boolean): string[] {
  const known = rows.filter((r) => r.registrations !== null);
  const unknown = rows.filter((r) => r.registrations === null);
  const sorted = [...known].sort(
    (a, b) => ((a.registrations ?? 0) - (b.registrations ?? 0)) * (desc ? -1 : 1),
  );
  return [...sorted, ...unknown].map((r) => r.registrations ?? -1).map(String);
}

async function expectOverviewFits(page: Page, label: string) {
  const fit = await measureFit(page, "[data-testid^='node-col-']", "data-testid", false);
  expect(fit.overflowX, `${label}: horizontal scroll`).toBeLessThanOrEqual(0);
  expect(fit.outside, `${label}: column headers outside the viewport`).toEqual([]);
  // and none cut off inside the table's own scroll box
  const inner = await page.evaluate(() => {
    const box = document.querySelector("[data-testid='node-table']")?.parentElement;
    return box ? box.scrollWidth - box.clientWidth : -1;
  });
  expect(inner, `${label}: the table scrolls sideways`).toBeLessThanOrEqual(0);
  const headers = await page.$$eval("[data-testid^='node-col-']", (els) =>
    els.map((el) => el.getAttribute("data-testid")?.slice("node-col-".length)),
  );
  expect(headers).toEqual(expect.arrayContaining([...COLUMNS, "sockets", "kamailio"]));
}

async function expectWallFits(page: Page, label: string) {
  const fit = await measureFit(page, "[data-testid^='wall-']", "data-testid", true);
  expect({ x: fit.overflowX > 0, y: fit.overflowY > 0 }, `${label}: scrollbars`).toEqual({
    x: false,
    y: false,
  });
  expect(fit.outside, `${label}: wall parts outside the screen`).toEqual([]);
  expect(await tilesCutByStrip(page), `${label}: node tiles cut off by the strip`).toEqual([]);
}

describe("fleet pages that fit", () => {
  it("30 nodes, 25 down: overview and wall fit 1600×900 and 1920×1080, down first, sort and filter in the URL", async () => {
    const fleet = await addTestFleet("e2e-fit", 4, 25);
    try {
      const { page, errors } = await suite.newPage();
      await signIn(page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);
      await waitForLiveStatus(page, "live");
      await waitForFleet(page, 30, 25);
      await waitFor(async () => (await readRows(page)).length === 30, { description: "30 node rows" });

      for (const screen of SCREENS) {
        const label = `overview ${screen.width}×${screen.height}`;
        await page.setViewportSize(screen);
        await page.screenshot({
          path: path.join(screenshotDir, `fleet-fit-overview-30-${screen.width}x${screen.height}.png`),
          fullPage: true,
        });
        await expectOverviewFits(page, label);
      }
      // problems first: the 25 down nodes, by name, before any other
      const rows = await readRows(page);
      expect(rows.slice(0, 25).map((r) => r.name)).toEqual([...fleet.down].sort());
      expect(rows.slice(0, 25).every((r) => r.tone === "down")).toBe(true);
      expect(
        rows
          .slice(25)
          .map((r) => r.name)
          .sort(),
      ).toEqual(["lab", ...fleet.up].sort());

      // sort by registrations: ascending, then descending; unknown (never-up nodes) last both ways
      await page.click("[data-testid='node-col-registrations'] button");
      await waitForSorted(page, "registrations", "asc");
      expect(params(page).get("dir")).toBeNull();
      const asc = await readRows(page);
      expect(asc.map((r) => String(r.registrations ?? -1))).toEqual(byRegistrations(asc, false));
      expect(asc.slice(-25).every((r) => r.tone === "down")).toBe(true);
      await page.click("[data-testid='node-col-registrations'] button");
      await waitForSorted(page, "registrations", "desc");
      const desc = await readRows(page);
      expect(desc.map((r) => String(r.registrations ?? -1))).toEqual(byRegistrations(desc, true));
      expect(await page.getAttribute("[data-testid='node-col-registrations']", "data-sort")).toBe("desc");

      // sort by name
      await page.click("[data-testid='node-col-name'] button");
      await waitForSorted(page, "name", "asc");
      expect(params(page).get("sort")).toBe("name");
      const named = (await readRows(page)).map((r) => r.name);
      expect(named).toEqual([...named].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));

      // filter by status, then by name text
      await page.selectOption("[data-testid='node-status-filter']", "down");
      const down = await waitFor(
        async () => {
          const rows = await readRows(page);
          return params(page).get("status") === "down" && rows.length === 25 ? rows : undefined;
        },
        { description: "?status=down and 25 rows" },
      );
      expect(down.map((r) => r.name).sort()).toEqual([...fleet.down].sort());
      expect(await page.getAttribute("[data-testid='node-count']", "data-shown")).toBe("25");
      await page.selectOption("[data-testid='node-status-filter']", "");
      await page.fill("[data-testid='node-filter']", "fit-UP");
      const named4 = await waitFor(
        async () => {
          const rows = await readRows(page);
          const url = params(page).get("q") === "fit-UP" && !params(page).has("status");
          return url && rows.length === fleet.up.length ? rows : undefined;
        },
        { description: "?q=fit-UP without status, and its rows" },
      );
      expect(named4.map((r) => r.name).sort()).toEqual([...fleet.up].sort());
      // the chart range links keep the table's view
      const rangeLink = page.locator("[data-testid='history-range'] a", { hasText: "24h" });
      await waitFor(async () => (await rangeLink.getAttribute("href"))?.includes("q=fit-UP") === true, {
        description: "the 24h range link carrying ?q=fit-UP",
      });
      expect(
        new URL((await rangeLink.getAttribute("href")) ?? "", suite.baseUrl()).searchParams.get("range"),
      ).toBe("24h");
      await page.screenshot({
        path: path.join(screenshotDir, "fleet-fit-overview-filtered.png"),
        fullPage: true,
      });

      // a link reproduces the view: up nodes, registrations descending
      const linked = await suite.newPage();
      await linked.page.setViewportSize(SCREENS[0]);
      await signIn(
        linked.page,
        suite.baseUrl(),
        "/overview?sort=registrations&dir=desc&status=up",
        "admin",
        suite.adminPassword,
      );
      await waitFor(async () => (await readRows(linked.page)).length > 0, {
        description: "rows on the linked view",
      });
      const viaLink = await readRows(linked.page);
      expect(viaLink.map((r) => r.tone).every((t) => t === "ok")).toBe(true);
      expect(viaLink.map((r) => r.name).sort()).toEqual(["lab", ...fleet.up].sort());
      expect(viaLink.map((r) => String(r.registrations ?? -1))).toEqual(byRegistrations(viaLink, true));
      expect(await linked.page.getAttribute("[data-testid='node-col-registrations']", "data-sort")).toBe(
        "desc",
      );
      expect(await linked.page.inputValue("[data-testid='node-status-filter']")).toBe("up");

      // the wall, on both screens
      const wall = await openWall(suite, "e2e-fit-wall");
      await waitForLiveStatus(wall.page, "live");
      for (const screen of SCREENS) {
        const label = `wall ${screen.width}×${screen.height}`;
        await wall.page.setViewportSize(screen);
        const { api, shown } = await wallWithApi(wall.page);
        expectWallToMatch(api, shown);
        expect(shown.nodes.slice(0, 25).every((n) => n.tone === "down")).toBe(true);
        await expectWallFits(wall.page, label);
        await wall.page.screenshot({
          path: path.join(screenshotDir, `fleet-fit-wall-30-${screen.width}x${screen.height}.png`),
        });
      }
      expect([...errors, ...linked.errors, ...wall.errors]).toEqual([]);
    } finally {
      await fleet.remove();
    }
  }, 300_000);

  it("100 nodes: the wall fits one screen without scrollbars, names the problem nodes and counts the rest", async () => {
    // 10 nodes that answer (the lab and 9 more names for it), 90 that do not: more problems than places
    const fleet = await addTestFleet("e2e-fit100", 9, 90);
    try {
      const wall = await openWall(suite, "e2e-fit-wall-100");
      await waitForLiveStatus(wall.page, "live");
      await waitForFleet(wall.page, 100, 90);
      for (const screen of SCREENS) {
        const label = `wall ${screen.width}×${screen.height}`;
        await wall.page.setViewportSize(screen);
        const { api, shown } = await wallWithApi(wall.page);
        expectWallToMatch(api, shown);
        // 78 places named, all down; the 12 down nodes and the 10 up ones left out are counted
        expect(shown.nodes).toHaveLength(78);
        expect(shown.nodes.every((n) => n.tone === "down")).toBe(true);
        expect(shown.moreNodes).toBe(22);
        expect(await wall.page.textContent("[data-testid='wall-node-more']")).toBe(
          "+22 more · 12 down · 10 up",
        );
        expect(await wall.page.textContent("[data-testid='wall-fleet-summary']")).toBe("100 nodes · 90 down");
        await expectWallFits(wall.page, label);
        await wall.page.screenshot({
          path: path.join(screenshotDir, `fleet-fit-wall-100-${screen.width}x${screen.height}.png`),
        });
      }
      // the overview with 100 nodes fits sideways too
      const overview = await suite.newPage();
      await overview.page.setViewportSize(SCREENS[0]);
      await signIn(overview.page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);
      await waitFor(async () => (await readRows(overview.page)).length === 100, { description: "100 rows" });
      await overview.page.screenshot({
        path: path.join(screenshotDir, "fleet-fit-overview-100-1600x900.png"),
      });
      await expectOverviewFits(overview.page, "overview 100 nodes");
      expect([...wall.errors, ...overview.errors]).toEqual([]);
    } finally {
      await fleet.remove();
    }
  }, 300_000);
});
