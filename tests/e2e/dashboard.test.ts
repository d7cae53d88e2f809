import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleKey } from "@/components/live/fleet-view";
import { type LabConfig, labUp } from "@/scripts/lab/lab";
import { type E2eBrowser, openBrowser, WALL_VIEWPORT } from "../support/browser";
import { ensureBuild, type RunningApp, repoRoot, startApp } from "./support/app-server";
import {
  fetchOverview,
  liveStatus,
  readOverviewPage,
  readWallTile,
  signIn,
  waitFor,
} from "./support/page-state";
import { createTempDatabase, type TempDatabase } from "./support/temp-database";
import { openRegisteredClients } from "./support/ws-clients";

// The browser suite: the real app (next start) on a temp database, polling the real lab, driven by Chromium.

const ADMIN_PASSWORD = `e2e-admin-${randomBytes(8).toString("hex")}`;
const VIEWER_PASSWORD = `e2e-viewer-${randomBytes(8).toString("hex")}`;
const screenshotDir = path.join(repoRoot, "test-results/screenshots");
const wallTiles = ["ws", "wss", "registrations", "dialogs", "rtpengine"] as const;

let lab: LabConfig;
let db: TempDatabase | undefined;
let app: RunningApp | undefined;
const browsers: E2eBrowser[] = [];

function baseUrl(): string {
  if (!app) throw new Error("the app is not running");
  return app.baseUrl;
}

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const browser = await openBrowser(WALL_VIEWPORT);
  browsers.push(browser);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return { page, errors };
}

async function createKioskToken(name: string): Promise<string> {
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  return (await createApiToken({ name, role: "viewer", kiosk: true })).token;
}

beforeAll(async () => {
  lab = (await labUp()).config;
  await ensureBuild();
  db = await createTempDatabase("kamdash_e2e");
  // this process creates tokens/operators in the same database (lib/db reads DATABASE_URL on first use)
  process.env.DATABASE_URL = db.url;
  app = await startApp({ DATABASE_URL: db.url, KAMDASH_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const base = app.baseUrl;
  await waitFor(
    "the lab node to be polled up (/api/health)",
    async () => {
      const health = (await (await fetch(`${base}/api/health`)).json()) as { nodes?: { up: boolean }[] };
      return health.nodes?.some((n) => n.up) ? true : undefined;
    },
    60_000,
  );
  await mkdir(screenshotDir, { recursive: true });
}, 600_000);

afterAll(async () => {
  await Promise.allSettled(browsers.map((b) => b.close()));
  await app?.stop();
  const { closeDb } = await import("@/lib/db");
  await closeDb();
  await db?.drop();
}, 60_000);

describe("overview", () => {
  it("an admin signs in and sees exactly the numbers of GET /api/v1/overview", async () => {
    const { page, errors } = await newPage();
    await signIn(page, baseUrl(), "/overview", "admin", ADMIN_PASSWORD);
    await waitFor("the live stream", async () => ((await liveStatus(page)) === "live" ? true : undefined));

    // The API answers from the latest poll; compare once the page shows that same poll cycle.
    const { api, shown } = await waitFor("the page and the API to show the same poll cycle", async () => {
      const api = await fetchOverview(page);
      const shown = await readOverviewPage(page);
      return shown.cycle === cycleKey(api) ? { api, shown } : undefined;
    });
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

describe("wall", () => {
  it("opens with a kiosk token and follows WS/WSS clients connecting, without reloading", async () => {
    const token = await createKioskToken("e2e-wall");
    const { page, errors } = await newPage();
    await page.goto(`${baseUrl()}/wall?kiosk=${token}`);
    expect(new URL(page.url()).pathname).toBe("/wall");
    expect(page.url()).not.toContain(token);
    await waitFor("the live stream", async () => ((await liveStatus(page)) === "live" ? true : undefined));
    await page.evaluate(() => document.body.setAttribute("data-e2e-loaded", "once"));

    const before = {
      ws: await readWallTile(page, "ws"),
      wss: await readWallTile(page, "wss"),
      registrations: await readWallTile(page, "registrations"),
    };
    expect(before.ws.tone).toBe("ok");
    const baseline = (tile: { value: number | null }) => tile.value ?? 0;

    const clients = await openRegisteredClients(lab, 3, 2);
    try {
      const during = await waitFor(
        "the wall to count 3 more WS, 2 more WSS, 5 more registrations",
        async () => {
          const ws = await readWallTile(page, "ws");
          const wss = await readWallTile(page, "wss");
          const registrations = await readWallTile(page, "registrations");
          const counted =
            (ws.value ?? 0) >= baseline(before.ws) + 3 &&
            (wss.value ?? 0) >= baseline(before.wss) + 2 &&
            (registrations.value ?? 0) >= baseline(before.registrations) + 5;
          return counted ? { ws, wss, registrations } : undefined;
        },
      );
      expect(await page.getAttribute("body", "data-e2e-loaded")).toBe("once");
      for (const id of wallTiles) {
        const tile = await readWallTile(page, id);
        expect(tile.tone, `tile ${id}`).toBe("ok");
        expect(tile.ageText, `tile ${id}`).toMatch(/^updated \d/);
      }
      expect(await page.getAttribute("[data-testid='wall-node']", "data-tone")).toBe("ok");
      await page.screenshot({ path: path.join(screenshotDir, "wall.png") });

      await clients.closeAll();
      await waitFor("the wall to drop the closed clients", async () => {
        const ws = await readWallTile(page, "ws");
        const wss = await readWallTile(page, "wss");
        return (ws.value ?? 0) <= baseline(during.ws) - 3 && (wss.value ?? 0) <= baseline(during.wss) - 2
          ? true
          : undefined;
      });
    } finally {
      await clients.closeAll();
    }
    expect(await page.getAttribute("body", "data-e2e-loaded")).toBe("once");
    expect(errors).toEqual([]);
  });

  it("falls back to polling without the stream, then keeps the last values (grey) while reconnecting", async () => {
    const token = await createKioskToken("e2e-wall-fallback");
    const { page } = await newPage();
    await page.route("**/api/v1/stream", (route) => route.abort());
    await page.goto(`${baseUrl()}/wall?kiosk=${token}`);

    await waitFor("the polling fallback", async () =>
      (await liveStatus(page)) === "polling" ? true : undefined,
    );
    const firstCycle = await page.getAttribute("[data-testid='wall']", "data-cycle");
    await waitFor("a newer poll cycle through polling", async () =>
      (await page.getAttribute("[data-testid='wall']", "data-cycle")) !== firstCycle ? true : undefined,
    );

    await page.route("**/api/v1/overview", (route) => route.abort());
    await waitFor("the reconnecting indicator", async () =>
      (await liveStatus(page)) === "reconnecting" ? true : undefined,
    );
    expect(await page.textContent("[data-testid='live-status']")).toContain("reconnecting…");
    const kept = await readWallTile(page, "ws");
    expect(kept.value).not.toBeNull();
    const greyed = await waitFor("the tiles to turn grey (data older than 3 poll intervals)", async () => {
      const tile = await readWallTile(page, "ws");
      return tile.tone === "stale" ? tile : undefined;
    });
    expect(greyed.value).toBe(kept.value);
    expect(greyed.ageText).toContain("stale");

    await page.unroute("**/api/v1/overview");
    await page.unroute("**/api/v1/stream");
    await waitFor("the stream to come back", async () =>
      (await liveStatus(page)) === "live" ? true : undefined,
    );
    await waitFor("fresh tiles again", async () =>
      (await readWallTile(page, "ws")).tone === "ok" ? true : undefined,
    );
  });
});

describe("admin", () => {
  it("is refused with HTTP 403 to a viewer and to a kiosk, and open to an admin", async () => {
    const { createOperator } = await import("@/lib/auth/operators");
    await createOperator({ username: "e2e-viewer", password: VIEWER_PASSWORD, role: "viewer" });

    const viewer = await newPage();
    await signIn(viewer.page, baseUrl(), "/overview", "e2e-viewer", VIEWER_PASSWORD);
    for (const adminPath of ["/admin", "/admin/nodes", "/admin/tokens"]) {
      const response = await viewer.page.goto(`${baseUrl()}${adminPath}`);
      expect(response?.status(), adminPath).toBe(403);
      expect(await viewer.page.textContent("h1")).toContain("403");
    }

    const kiosk = await newPage();
    await kiosk.page.goto(`${baseUrl()}/wall?kiosk=${await createKioskToken("e2e-kiosk-admin")}`);
    expect((await kiosk.page.goto(`${baseUrl()}/admin`))?.status()).toBe(403);

    const admin = await newPage();
    await signIn(admin.page, baseUrl(), "/admin/tokens", "admin", ADMIN_PASSWORD);
    const names = await admin.page.$$eval("[data-testid='admin-token-row'] td:first-child", (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(names).toContain("e2e-kiosk-admin");
    expect((await admin.page.goto(`${baseUrl()}/admin/nodes`))?.status()).toBe(200);
    expect(await admin.page.locator("[data-testid='admin-node-row']").count()).toBeGreaterThanOrEqual(1);
  });
});
