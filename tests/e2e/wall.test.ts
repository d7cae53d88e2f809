import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/app-server";
import { liveStatus, readWallTile, waitFor } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";
import { openRegisteredClients } from "./support/ws-clients";

const suite = setupDashboardApp();
const wallTiles = ["ws", "wss", "registrations", "dialogs", "rtpengine"] as const;

async function openWall(name: string, routes?: (page: Page) => Promise<unknown>) {
  const token = await suite.createKioskToken(name);
  const opened = await suite.newPage();
  await routes?.(opened.page);
  await opened.page.goto(`${suite.baseUrl()}/wall?kiosk=${token}`);
  expect(new URL(opened.page.url()).pathname).toBe("/wall");
  expect(opened.page.url()).not.toContain(token);
  return opened;
}

describe("wall", () => {
  it("opens with a kiosk token and follows WS/WSS clients connecting, without reloading", async () => {
    const { page, errors } = await openWall("e2e-wall");
    await waitFor("the live stream", async () => ((await liveStatus(page)) === "live" ? true : undefined));
    await page.evaluate(() => document.body.setAttribute("data-e2e-loaded", "once"));

    const before = {
      ws: await readWallTile(page, "ws"),
      wss: await readWallTile(page, "wss"),
      registrations: await readWallTile(page, "registrations"),
    };
    expect(before.ws.tone).toBe("ok");
    const count = (tile: { value: number | null }) => tile.value ?? 0;

    const clients = await openRegisteredClients(suite.lab(), 3, 2);
    let seen = "";
    try {
      const during = await waitFor(
        "the wall to count 3 more WS, 2 more WSS, 5 more registrations",
        async () => {
          const ws = await readWallTile(page, "ws");
          const wss = await readWallTile(page, "wss");
          const registrations = await readWallTile(page, "registrations");
          seen = JSON.stringify({ before, now: { ws, wss, registrations } });
          const counted =
            count(ws) >= count(before.ws) + 3 &&
            count(wss) >= count(before.wss) + 2 &&
            count(registrations) >= count(before.registrations) + 5;
          return counted ? { ws, wss, registrations } : undefined;
        },
        { seen: () => seen },
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
        "the wall to drop the closed clients",
        async () => {
          const ws = await readWallTile(page, "ws");
          const wss = await readWallTile(page, "wss");
          seen = JSON.stringify({ during, now: { ws, wss } });
          return count(ws) <= count(during.ws) - 3 && count(wss) <= count(during.wss) - 2 ? true : undefined;
        },
        { seen: () => seen },
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
    await page.screenshot({ path: path.join(screenshotDir, "wall-stale.png") });

    await page.unroute("**/api/v1/overview");
    await page.unroute("**/api/v1/stream");
    await waitFor("the stream to come back", async () =>
      (await liveStatus(page)) === "live" ? true : undefined,
    );
    await waitFor("fresh tiles again", async () =>
      (await readWallTile(page, "ws")).tone === "ok" ? true : undefined,
    );
  });

  it("turns a node's tile and the fleet tiles red while a node does not answer", async () => {
    const { page, errors } = await openWall("e2e-wall-down");
    await waitFor("the live stream", async () => ((await liveStatus(page)) === "live" ? true : undefined));

    // a second node whose JSON-RPC port has no listener; the poller picks up new nodes within 15 cycles
    const { getDb } = await import("@/lib/db");
    const { addNode, removeNode } = await import("@/lib/nodes");
    const db = await getDb();
    await addNode(db, { name: "e2e-unreachable", rpcUrl: `http://127.0.0.1:${await freePort()}/RPC` }, "cli");
    try {
      const downTile = "[data-testid='wall-node'][data-node='e2e-unreachable']";
      await waitFor(
        "the unreachable node to show red",
        async () => ((await page.getAttribute(downTile, "data-tone")) === "down" ? true : undefined),
        { timeoutMs: 60_000 },
      );
      expect(await page.textContent(downTile)).toContain("DOWN");
      expect(await page.getAttribute("[data-testid='wall-node'][data-node='lab']", "data-tone")).toBe("ok");
      const ws = await readWallTile(page, "ws");
      expect(ws.tone).toBe("down");
      expect(await page.textContent("[data-testid='wall-tile-ws']")).toContain("1 of 2 nodes down");
      await page.screenshot({ path: path.join(screenshotDir, "wall-node-down.png") });
    } finally {
      await removeNode(db, "e2e-unreachable");
    }
    expect(errors).toEqual([]);
  });
});
