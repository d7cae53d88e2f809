import type { Page } from "playwright-core";
import { type OverviewResponse, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { waitFor } from "../../support/wait";

// Reading what the dashboard pages show (through their data-testid / data-value attributes) and what the API says.

/** Signs in through the real /login form, starting from `path` (which redirects there). */
export async function signIn(page: Page, baseUrl: string, path: string, username: string, password: string) {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL((url) => url.pathname === "/login");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((url) => url.pathname === path), page.click("button[type=submit]")]);
}

/** GET /api/v1/overview with the page's own cookies. */
export async function fetchOverview(page: Page): Promise<OverviewResponse> {
  const body = await page.evaluate(async () => {
    const response = await fetch("/api/v1/overview", { cache: "no-store" });
    if (!response.ok) throw new Error(`GET /api/v1/overview: ${response.status}`);
    return response.json();
  });
  return OverviewResponseSchema.parse(body);
}

export type OverviewPageState = {
  cycle: string;
  totals: Record<string, number>;
  nodes: { name: string; values: Record<string, number | null> }[];
};

export function readOverviewPage(page: Page): Promise<OverviewPageState> {
  return page.evaluate(() => {
    const number = (el: Element) => {
      const raw = el.getAttribute("data-value");
      return raw === null || raw === "" ? null : Number(raw);
    };
    const totals: Record<string, number> = {};
    for (const el of document.querySelectorAll("[data-testid^='total-']")) {
      const name = el.getAttribute("data-testid")?.slice("total-".length) ?? "";
      totals[name] = number(el) ?? Number.NaN;
    }
    const nodes = [...document.querySelectorAll("[data-testid='node-row']")].map((row) => {
      const values: Record<string, number | null> = {};
      for (const el of row.querySelectorAll("[data-testid^='node-']")) {
        const name = el.getAttribute("data-testid")?.slice("node-".length) ?? "";
        if (name !== "status") values[name] = number(el);
      }
      return { name: row.getAttribute("data-node") ?? "", values };
    });
    const cycle = document.querySelector("[data-testid='overview-totals']")?.getAttribute("data-cycle") ?? "";
    return { cycle, totals, nodes };
  });
}

export type WallTileState = { value: number | null; tone: string; ageText: string };

export function readWallTile(page: Page, id: string): Promise<WallTileState> {
  return page.evaluate((tileId) => {
    const tile = document.querySelector(`[data-testid='wall-tile-${tileId}']`);
    if (!tile) throw new Error(`no wall tile ${tileId}`);
    const raw = tile.getAttribute("data-value");
    return {
      value: raw === null || raw === "" ? null : Number(raw),
      tone: tile.getAttribute("data-tone") ?? "",
      ageText: tile.querySelector("[data-testid='data-age']")?.textContent ?? "",
    };
  }, id);
}

export function liveStatus(page: Page): Promise<string | null> {
  return page.getAttribute("[data-testid='live-status']", "data-status");
}

export type LiveStatusName = "connecting" | "live" | "polling" | "reconnecting" | "unauthorized";

/** Waits until the page's connection indicator says `status`. */
export function waitForLiveStatus(page: Page, status: LiveStatusName, timeoutMs = 20_000): Promise<true> {
  return waitFor(async () => (await liveStatus(page)) === status, {
    timeoutMs,
    description: `the connection indicator to say "${status}"`,
  });
}
