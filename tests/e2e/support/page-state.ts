import type { Page } from "playwright-core";
import { type OverviewResponse, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { waitFor } from "../../support/wait";

// Reading what the dashboard pages show (through their data-testid / data-value attributes) and what the API says.

/** Signs in through the real /login form, starting from `path` (which redirects there; may carry a query). */
export async function signIn(page: Page, baseUrl: string, path: string, username: string, password: string) {
  const target = new URL(path, baseUrl);
  await page.goto(target.href);
  await page.waitForURL((url) => url.pathname === "/login");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === target.pathname && url.search === target.search),
    page.click("button[type=submit]"),
  ]);
}

/** Loads `url` until `ready` holds (up to 30 loads a second apart): for pages that show what the poller saw. */
export async function openWhen(
  page: Page,
  url: string,
  ready: () => Promise<boolean>,
  what: string,
): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await page.goto(url);
    if (await ready()) return;
    await page.waitForTimeout(1_000);
  }
  throw new Error(`${what}: not shown within 30 loads of ${url}`);
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

export type ShownNode = {
  name: string;
  /** The status badge's text ("up", "down", "stale (was up)"). */
  status: string;
  /** Each `node-<key>` number: its data-value (null when "") and data-state. */
  values: Record<string, number | null>;
  states: Record<string, string>;
  /** Probe lines, in page order; `grouped` when inside the "node-unavailable" block. */
  probes: { probe: string; state: string; grouped: boolean }[];
  kamailio: { version: string; text: string; restarted: boolean };
};

export type OverviewPageState = {
  cycle: string;
  /** Every `total-<key>` figure: its data-value, null when "" (never NaN). */
  totals: Record<string, number | null>;
  /** The notes under each totals card that has any, keyed by the card's figures, e.g. "dialogsActive+dialogsEarly". */
  totalNotes: Record<string, string[]>;
  nodes: ShownNode[];
};

export function readOverviewPage(page: Page): Promise<OverviewPageState> {
  return page.evaluate(() => {
    const number = (el: Element) => {
      const raw = el.getAttribute("data-value");
      return raw === null || raw === "" ? null : Number(raw);
    };
    const testId = (el: Element, prefix: string) =>
      el.getAttribute("data-testid")?.slice(prefix.length) ?? "";
    const figures = "[data-testid^='total-'][data-value]";
    const totals: Record<string, number | null> = {};
    for (const el of document.querySelectorAll(figures)) totals[testId(el, "total-")] = number(el);
    const totalNotes: Record<string, string[]> = {};
    for (const note of document.querySelectorAll("[data-testid='total-note']")) {
      // a note is a sibling of its card's figures (Tremor Card > Text, Metric, notes)
      const card = [...(note.parentElement?.querySelectorAll(figures) ?? [])].map((f) => testId(f, "total-"));
      const key = card.join("+");
      totalNotes[key] = [...(totalNotes[key] ?? []), note.textContent ?? ""];
    }
    const nodes = [...document.querySelectorAll("[data-testid='node-row']")].map((row) => {
      const values: Record<string, number | null> = {};
      const states: Record<string, string> = {};
      // numbers only: node-status, node-probe and node-unavailable carry no data-value
      for (const el of row.querySelectorAll("[data-testid^='node-'][data-value]")) {
        values[testId(el, "node-")] = number(el);
        states[testId(el, "node-")] = el.getAttribute("data-state") ?? "";
      }
      const probes = [...row.querySelectorAll("[data-testid='node-probe']")].map((el) => ({
        probe: el.getAttribute("data-probe") ?? "",
        state: el.getAttribute("data-state") ?? "",
        grouped: el.closest("[data-testid='node-unavailable']") !== null,
      }));
      const info = row.querySelector("[data-testid='kamailio-info']");
      return {
        name: row.getAttribute("data-node") ?? "",
        status: row.querySelector("[data-testid='node-status']")?.textContent ?? "",
        values,
        states,
        probes,
        kamailio: {
          version: info?.getAttribute("data-version") ?? "",
          text: info?.textContent ?? "",
          restarted: row.querySelector("[data-testid='kamailio-restarted']") !== null,
        },
      };
    });
    const cycle = document.querySelector("[data-testid='overview-totals']")?.getAttribute("data-cycle") ?? "";
    return { cycle, totals, totalNotes, nodes };
  });
}

export type WallTileState = {
  value: number | null;
  tone: string;
  ageText: string;
  /** Up nodes whose part of the number is a stale last good value / is missing, and the notes saying so. */
  staleParts: number;
  missingParts: number;
  notes: string[];
};

export type WallHealthState = {
  tone: string;
  health: string;
  display: string;
  details: string[];
  /** Every note (the tile shows at most two lines; each line's title holds them all). */
  notes: string[];
  ageText: string;
};

export type WallState = {
  cycle: string;
  tiles: Record<string, WallTileState>;
  /** The health tiles, by id ("branch-failure", "sessions", "sockets"). */
  health: Record<string, WallHealthState>;
  nodes: { name: string; tone: string; probeProblems: number; problemsText: string }[];
  /** Nodes the strip counts instead of showing ("+7 more"); 0 when it shows them all. */
  moreNodes: number;
};

/** Everything the wall shows, read at once (so from one snapshot). */
export function readWall(page: Page): Promise<WallState> {
  return page.evaluate(() => {
    const tiles: Record<string, WallTileState> = {};
    for (const tile of document.querySelectorAll("[data-testid^='wall-tile-'][data-tone]")) {
      const raw = tile.getAttribute("data-value");
      tiles[tile.getAttribute("data-testid")?.slice("wall-tile-".length) ?? ""] = {
        value: raw === null || raw === "" ? null : Number(raw),
        tone: tile.getAttribute("data-tone") ?? "",
        ageText: tile.querySelector("[data-testid='data-age']")?.textContent ?? "",
        staleParts: Number(tile.getAttribute("data-stale-parts")),
        missingParts: Number(tile.getAttribute("data-missing-parts")),
        notes: [...tile.querySelectorAll("[data-testid='wall-tile-note']")].map((n) => n.textContent ?? ""),
      };
    }
    const health: Record<string, WallHealthState> = {};
    for (const tile of document.querySelectorAll("[data-testid^='wall-health-'][data-health]")) {
      const text = (selector: string) =>
        [...tile.querySelectorAll(`[data-testid='${selector}']`)].map((n) => n.textContent ?? "");
      const notes = tile.querySelector("[data-testid='wall-health-note']")?.getAttribute("title");
      health[tile.getAttribute("data-testid")?.slice("wall-health-".length) ?? ""] = {
        tone: tile.getAttribute("data-tone") ?? "",
        health: tile.getAttribute("data-health") ?? "",
        display: text("wall-health-display").join(""),
        details: text("wall-health-detail"),
        notes: notes ? notes.split("\n") : [],
        ageText: text("data-age").join(""),
      };
    }
    const more = document.querySelector("[data-testid='wall-node-more']")?.getAttribute("data-count");
    const nodes = [...document.querySelectorAll("[data-testid='wall-node']")].map((el) => ({
      name: el.getAttribute("data-node") ?? "",
      tone: el.getAttribute("data-tone") ?? "",
      probeProblems: Number(el.getAttribute("data-probe-problems")),
      problemsText: el.querySelector("[data-testid='wall-node-problems']")?.textContent ?? "",
    }));
    const cycle = document.querySelector("[data-testid='wall']")?.getAttribute("data-cycle") ?? "";
    return { cycle, tiles, health, nodes, moreNodes: Number(more ?? 0) };
  });
}

export async function readWallTile(page: Page, id: string): Promise<WallTileState> {
  const tile = (await readWall(page)).tiles[id];
  if (!tile) throw new Error(`no wall tile ${id}`);
  return tile;
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
