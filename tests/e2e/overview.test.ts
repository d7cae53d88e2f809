import path from "node:path";
import { describe, expect, it } from "vitest";
import { cycleKey } from "@/components/live/fleet-view";
import { waitFor } from "../support/wait";
import { fetchOverview, readOverviewPage, signIn, waitForLiveStatus } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

const suite = setupDashboardApp();

describe("overview", () => {
  it("an admin signs in and sees exactly the numbers of GET /api/v1/overview", async () => {
    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);
    await waitForLiveStatus(page, "live");

    // The API answers from the latest poll; compare once the page shows that same poll cycle.
    const { api, shown } = await waitFor(
      async () => {
        const api = await fetchOverview(page);
        const shown = await readOverviewPage(page);
        return shown.cycle === cycleKey(api) ? { api, shown } : undefined;
      },
      { timeoutMs: 20_000, description: "the page and the API to show the same poll cycle" },
    );
    expect(api.totals.nodesUp).toBeGreaterThanOrEqual(1);
    expect(shown.totals).toEqual(api.totals);
    expect(shown.nodes.map((n) => n.name)).toEqual(api.nodes.map((n) => n.name));
    for (const node of api.nodes.filter((n) => n.up)) {
      expect(shown.nodes.find((n) => n.name === node.name)?.values).toEqual({
        ws: node.ws,
        wss: node.wss,
        registrations: node.registrations,
        aors: node.aors,
        dialogsActive: node.dialogsActive,
        dialogsEarly: node.dialogsEarly,
        rtpengineUp: node.rtpengineUp,
        rtpengineTotal: node.rtpengineTotal,
      });
    }

    // the last-hour chart draws in the browser from PostgreSQL samples
    await page.waitForSelector("[data-testid='overview-history'] svg.recharts-surface", { timeout: 30_000 });
    await page.screenshot({ path: path.join(screenshotDir, "overview.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
