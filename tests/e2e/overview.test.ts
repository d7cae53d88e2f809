import path from "node:path";
import { describe, expect, it } from "vitest";
import { cycleKey } from "@/components/live/fleet-view";
import { nodeNumberKeys, type OverviewResponse, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { waitFor } from "../support/wait";
import { degradeLab } from "./support/degraded";
import { expectedProbeLines, expectedTotalNotes, parseAgeText } from "./support/expected";
import {
  fetchOverview,
  type OverviewPageState,
  readOverviewPage,
  signIn,
  waitForLiveStatus,
} from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

const suite = setupDashboardApp();

/** Totals (null as null), their notes, and each up node's numbers, reading states and probe lines, as `api` says. */
function expectPageToMatch(api: OverviewResponse, shown: OverviewPageState) {
  // a total no up node could give is null in the API and "" (shown "—") on the page, never 0 or NaN
  const { incomplete: _saidInNotes, ...apiTotals } = api.totals;
  expect(shown.totals).toEqual(apiTotals);
  // down nodes and numbers some up node could not give (`incomplete`) are said under their card
  expect(shown.totalNotes).toEqual(expectedTotalNotes(api));
  expect(shown.nodes.map((n) => n.name)).toEqual(api.nodes.map((n) => n.name));
  for (const node of api.nodes.filter((n) => n.up)) {
    const row = shown.nodes.find((n) => n.name === node.name);
    expect(row?.status, node.name).toBe("up");
    expect(row?.values, node.name).toEqual(Object.fromEntries(nodeNumberKeys.map((k) => [k, node[k]])));
    // each number says its reading's state (ok | stale | failing | unavailable | starting | rejected)
    const { readings } = node;
    if (!readings) throw new Error(`up node ${node.name} has no readings`);
    expect(row?.states, node.name).toEqual(
      Object.fromEntries(nodeNumberKeys.map((k) => [k, readings[k].state])),
    );
    expect(row?.probes, node.name).toEqual(expectedProbeLines(node));
  }
}

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
    expectPageToMatch(api, shown);

    // the lab node: Kamailio's version (core.version) and its uptime (core.uptime), as the API has them
    const lab = api.nodes.find((n) => n.name === "lab");
    const labRow = shown.nodes.find((n) => n.name === "lab");
    const version = lab?.kamailio?.version;
    const uptimeS = lab?.kamailio?.uptimeS;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    if (!labRow || !version || uptimeS == null)
      throw new Error("no lab node with Kamailio version and uptime");
    expect(labRow.kamailio.version).toBe(version);
    const uptimeText = labRow.kamailio.text.match(/^(.+) · up (.+)$/);
    expect(uptimeText?.[1], labRow.kamailio.text).toBe(version);
    // uptime at the poll plus the poll's age: not less than the API's, at most a few seconds more
    const { lowS, stepS } = parseAgeText(uptimeText?.[2] ?? "");
    expect(lowS + stepS, labRow.kamailio.text).toBeGreaterThan(uptimeS);
    expect(lowS, labRow.kamailio.text).toBeLessThanOrEqual(uptimeS + 15);
    // "restarted … ago" only after a restart this app saw within the last 10 min (not asserted near the edge)
    const restartedAt = lab?.kamailio?.restartedAt;
    const recentRestart = restartedAt != null && Date.now() - Date.parse(restartedAt) < 9 * 60_000;
    if (restartedAt == null || recentRestart) expect(labRow.kamailio.restarted).toBe(recentRestart);

    // the last-hour chart draws in the browser from PostgreSQL samples
    await page.waitForSelector("[data-testid='overview-history'] svg.recharts-surface", { timeout: 30_000 });
    await page.screenshot({ path: path.join(screenshotDir, "overview.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("shows a stale number with its age and probe line, and one an up node cannot give as — with a null total", async () => {
    // the lab is healthy: the page polls (no stream) a snapshot in which the lab node's readings are degraded
    const served = new Map<string, OverviewResponse>();
    const { page, errors } = await suite.newPage();
    await page.route("**/api/v1/stream", (r) => r.abort());
    await page.route("**/api/v1/overview", async (route) => {
      const response = await route.fetch();
      const api = degradeLab(OverviewResponseSchema.parse(await response.json()));
      served.set(cycleKey(api), api);
      await route.fulfill({ response, json: api });
    });
    await signIn(page, suite.baseUrl(), "/overview", "admin", suite.adminPassword);
    await waitForLiveStatus(page, "polling");
    const { api, shown } = await waitFor(
      async () => {
        const shown = await readOverviewPage(page);
        const api = served.get(shown.cycle);
        const lab = shown.nodes.find((n) => n.name === "lab");
        return api && lab?.states.registrations === "stale" ? { api, shown } : undefined;
      },
      { timeoutMs: 20_000, description: "the page to show a degraded snapshot" },
    );
    expect(api.nodes.map((n) => [n.name, n.up])).toEqual([["lab", true]]);
    expectPageToMatch(api, shown);
    expect(shown.totals.wss).toBeNull();
    expect(shown.totalNotes.wss).toEqual(["excludes WSS on nodes where it is not available"]);
    const lab = shown.nodes.find((n) => n.name === "lab");
    expect(lab?.values.wss).toBeNull();
    expect(lab?.states).toMatchObject({ registrations: "stale", wss: "unavailable", ws: "ok" });
    expect(lab?.probes).toEqual([{ probe: "registrations", state: "stale", grouped: false }]);
    await page.screenshot({ path: path.join(screenshotDir, "overview-degraded.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
