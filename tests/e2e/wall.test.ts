import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/ports";
import { waitFor } from "../support/wait";
import { liveStatus, readWallTile, waitForLiveStatus } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";
import { openRegisteredClients } from "./support/ws-clients";

const suite = setupDashboardApp();
const wallTiles = ["ws", "wss", "registrations", "dialogs", "rtpengine"] as const;
const count = (tile: { value: number | null }) => tile.value ?? 0;

async function openWall(name: string, routes?: (page: Page) => Promise<unknown>) {
  const token = await suite.createKioskToken(name);
  const opened = await suite.newPage();
  await routes?.(opened.page);
  await opened.page.goto(`${suite.baseUrl()}/wall?kiosk=${token}`);
  expect(new URL(opened.page.url()).pathname).toBe("/wall");
  expect(opened.page.url()).not.toContain(token);
  return opened;
}

async function readCounts(page: Page) {
  return {
    ws: await readWallTile(page, "ws"),
    wss: await readWallTile(page, "wss"),
    registrations: await readWallTile(page, "registrations"),
  };
}

describe("wall", () => {
  it("opens with a kiosk token and follows WS/WSS clients connecting, without reloading", async () => {
    const { page, errors } = await openWall("e2e-wall");
    await waitForLiveStatus(page, "live");
    await page.evaluate(() => document.body.setAttribute("data-e2e-loaded", "once"));
    const before = await readCounts(page);
    expect(before.ws.tone).toBe("ok");

    const clients = await openRegisteredClients(suite.lab(), 3, 2);
    try {
      const during = await waitFor(
        async () => {
          const now = await readCounts(page);
          const counted =
            count(now.ws) >= count(before.ws) + 3 &&
            count(now.wss) >= count(before.wss) + 2 &&
            count(now.registrations) >= count(before.registrations) + 5;
          // the thrown observation ends up in the timeout message
          if (!counted) throw new Error(JSON.stringify({ before, now }));
          return now;
        },
        { timeoutMs: 20_000, description: "the wall to count 3 more WS, 2 more WSS, 5 more registrations" },
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
      await waitFor(
        async () => {
          const now = await readCounts(page);
          if (count(now.ws) > count(during.ws) - 3 || count(now.wss) > count(during.wss) - 2) {
            throw new Error(JSON.stringify({ during, now }));
          }
          return true;
        },
        { timeoutMs: 20_000, description: "the wall to drop the closed clients" },
      );
    } finally {
      await clients.closeAll();
    }
    expect(await page.getAttribute("body", "data-e2e-loaded")).toBe("once");
    expect(errors).toEqual([]);
  });

  it("falls back to polling without the stream, then keeps the last values (grey) while reconnecting", async () => {
    const { page } = await openWall("e2e-wall-fallback", (p) =>
      p.route("**/api/v1/stream", (r) => r.abort()),
    );
    await waitForLiveStatus(page, "polling");
    const cycle = () => page.getAttribute("[data-testid='wall']", "data-cycle");
    const firstCycle = await cycle();
    await waitFor(async () => (await cycle()) !== firstCycle, {
      timeoutMs: 20_000,
      description: "a newer poll cycle through polling",
    });

    await page.route("**/api/v1/overview", (route) => route.abort());
    await waitForLiveStatus(page, "reconnecting");
    expect(await page.textContent("[data-testid='live-status']")).toContain("reconnecting…");
    const kept = await readWallTile(page, "ws");
    expect(kept.value).not.toBeNull();
    const greyed = await waitFor(
      async () => {
        const tile = await readWallTile(page, "ws");
        return tile.tone === "stale" ? tile : undefined;
      },
      { timeoutMs: 20_000, description: "the tiles to turn grey (data older than 3 poll intervals)" },
    );
    expect(greyed.value).toBe(kept.value);
    expect(greyed.ageText).toContain("stale");
    await page.screenshot({ path: path.join(screenshotDir, "wall-stale.png") });

    await page.unroute("**/api/v1/overview");
    await page.unroute("**/api/v1/stream");
    await waitForLiveStatus(page, "live");
    await waitFor(async () => (await readWallTile(page, "ws")).tone === "ok", {
      timeoutMs: 20_000,
      description: "fresh tiles again",
    });
    expect(await liveStatus(page)).toBe("live");
  });

  it("turns a node's tile and the fleet tiles red while a node does not answer", async () => {
    const { page, errors } = await openWall("e2e-wall-down");
    await waitForLiveStatus(page, "live");

    // a second node whose JSON-RPC port has no listener; the poller picks up new nodes within 15 cycles
    const { getDb } = await import("@/lib/db");
    const { addNode, removeNode } = await import("@/lib/nodes");
    const db = await getDb();
    await addNode(db, { name: "e2e-unreachable", rpcUrl: `http://127.0.0.1:${await freePort()}/RPC` }, "cli");
    try {
      const downTile = "[data-testid='wall-node'][data-node='e2e-unreachable']";
      await waitFor(async () => (await page.getAttribute(downTile, "data-tone")) === "down", {
        timeoutMs: 60_000,
        description: "the unreachable node's tile to turn red",
      });
      expect(await page.textContent(downTile)).toContain("DOWN");
      expect(await page.getAttribute("[data-testid='wall-node'][data-node='lab']", "data-tone")).toBe("ok");
      expect((await readWallTile(page, "ws")).tone).toBe("down");
      expect(await page.textContent("[data-testid='wall-tile-ws']")).toContain("1 of 2 nodes down");
      await page.screenshot({ path: path.join(screenshotDir, "wall-node-down.png") });
    } finally {
      await removeNode(db, "e2e-unreachable");
    }
    expect(errors).toEqual([]);
  });
});
