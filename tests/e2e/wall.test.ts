import path from "node:path";
import { describe, expect, it } from "vitest";
import { cycleKey } from "@/components/live/fleet-view";
import { type OverviewResponse, OverviewResponseSchema } from "@/lib/poller/snapshot";
import { freePort } from "../support/ports";
import { waitFor } from "../support/wait";
import {
  degradeHealth,
  degradeLab,
  HOSTILE_NODE,
  STALE_REASON,
  UNAVAILABLE_REASON,
} from "./support/degraded";
import { liveStatus, readWall, readWallTile, waitForLiveStatus } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";
import { expectWallToMatch, openWall as openWallWith, wallWithApi } from "./support/wall";
import { openRegisteredClients } from "./support/ws-clients";

const suite = setupDashboardApp();
const count = (tile: { value: number | null } | undefined) => tile?.value ?? 0;
const openWall = (name: string, routes?: Parameters<typeof openWallWith>[2]) =>
  openWallWith(suite, name, routes);

/** A wall that polls (no stream) GET /api/v1/overview's answer changed by `change`; what it was served, by cycle. */
async function openServedWall(name: string, change: (api: OverviewResponse) => OverviewResponse) {
  const served = new Map<string, OverviewResponse>();
  const opened = await openWall(name, async (p) => {
    await p.route("**/api/v1/stream", (r) => r.abort());
    await p.route("**/api/v1/overview", async (route) => {
      const response = await route.fetch();
      const api = change(OverviewResponseSchema.parse(await response.json()));
      served.set(cycleKey(api), api);
      await route.fulfill({ response, json: api });
    });
  });
  await waitForLiveStatus(opened.page, "polling");
  return { ...opened, served };
}

describe("wall", () => {
  it("opens with a kiosk token and follows WS/WSS clients connecting, without reloading", async () => {
    const { page, errors } = await openWall("e2e-wall");
    await waitForLiveStatus(page, "live");
    await page.evaluate(() => document.body.setAttribute("data-e2e-loaded", "once"));
    const first = await wallWithApi(page);
    expectWallToMatch(first.api, first.shown);
    await page.screenshot({ path: path.join(screenshotDir, "wall-1-node.png") });
    const before = first.shown.tiles;

    const clients = await openRegisteredClients(suite.lab(), 3, 2);
    try {
      const during = await waitFor(
        async () => {
          const now = (await readWall(page)).tiles;
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
      const { api, shown } = await wallWithApi(page);
      expectWallToMatch(api, shown);
      await page.screenshot({ path: path.join(screenshotDir, "wall.png") });

      await clients.closeAll();
      await waitFor(
        async () => {
          const now = (await readWall(page)).tiles;
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
    // fresh tiles again, in the tones the snapshot gives them
    const fresh = await wallWithApi(page);
    expectWallToMatch(fresh.api, fresh.shown);
    expect(await liveStatus(page)).toBe("live");
  });

  it("turns a tile PARTIAL and says which up node's part is stale or missing, from the snapshot's readings", async () => {
    // the lab is healthy: the wall polls (no stream) a snapshot in which the lab node's readings are degraded
    const { page, errors, served } = await openServedWall("e2e-wall-partial", degradeLab);
    const { api, shown } = await waitFor(
      async () => {
        const shown = await readWall(page);
        const api = served.get(shown.cycle);
        return api && shown.tiles.registrations?.staleParts ? { api, shown } : undefined;
      },
      { timeoutMs: 20_000, description: "the wall to show a degraded snapshot" },
    );
    // (before the test that adds a node that does not answer: a down node makes every tile red)
    expect(api.nodes.map((n) => [n.name, n.up])).toEqual([["lab", true]]);
    expectWallToMatch(api, shown);
    expect(shown.tiles.registrations).toMatchObject({ tone: "partial", staleParts: 1, missingParts: 0 });
    expect(shown.tiles.registrations?.notes).toEqual([expect.stringMatching(/^lab: stale \d+ s — /)]);
    expect(shown.tiles.registrations?.notes[0]).toContain(STALE_REASON);
    expect(shown.tiles.wss).toMatchObject({ tone: "partial", value: null, staleParts: 0, missingParts: 1 });
    expect(shown.tiles.wss?.notes).toEqual([`lab: — ${UNAVAILABLE_REASON}`]);
    expect(shown.tiles.ws?.tone).toBe("ok");
    expect(shown.nodes).toMatchObject([
      { name: "lab", tone: "ok", probeProblems: 1, problemsText: "Reg: stale" },
    ]);
    await page.screenshot({ path: path.join(screenshotDir, "wall-partial.png") });
    expect(errors).toEqual([]);
  });

  it("judges the seed's health numbers over the fleet and names the nodes not in them", async () => {
    const { page, errors, served } = await openServedWall("e2e-wall-health", degradeHealth);
    const { api, shown } = await waitFor(
      async () => {
        const shown = await readWall(page);
        const api = served.get(shown.cycle);
        return api && shown.health["branch-failure"]?.health === "bad" ? { api, shown } : undefined;
      },
      { timeoutMs: 20_000, description: "the wall to show the served health figures" },
    );
    expectWallToMatch(api, shown);
    expect(shown.health["branch-failure"]).toMatchObject({
      tone: "bad",
      display: "2.00 %",
      details: ["wss→udp on lab", "12 of 600 failed in 5 min"],
      notes: [`no branch counters on ${HOSTILE_NODE}`],
    });
    expect(shown.health.sessions).toMatchObject({ tone: "warning", display: "7 / 5" });
    expect(shown.health.sessions?.notes).toEqual([`sessions unknown on ${HOSTILE_NODE}`]);
    expect(shown.health.sockets).toMatchObject({
      tone: "warning",
      display: "3 of 12",
      details: ["25 % without a registration", "1 registration without a socket"],
    });
    expect(shown.health.sockets?.ageText).toMatch(/^ul\.dump joined 2\d s ago$/);
    // the hostile name is text: no element came out of it
    expect(
      await page.locator("[data-testid^='wall-health-'] b, [data-testid^='wall-health-'] img").count(),
    ).toBe(0);
    await page.screenshot({ path: path.join(screenshotDir, "wall-health.png") });
    expect(errors).toEqual([]);
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
  it("fits 30 nodes on one screen: tiles and health tiles count only the node that answers", async () => {
    const { page, errors } = await openWall("e2e-wall-30");
    await waitForLiveStatus(page, "live");
    const { getDb } = await import("@/lib/db");
    const { addNode, removeNode } = await import("@/lib/nodes");
    const db = await getDb();
    const extra = Array.from({ length: 29 }, (_, i) => `e2e-extra-${String(i + 1).padStart(2, "0")}`);
    try {
      // JSON-RPC ports with no listener: 29 down nodes next to the lab
      for (const name of extra) {
        await addNode(db, { name, rpcUrl: `http://127.0.0.1:${await freePort()}/RPC` }, "cli");
      }
      const { api, shown } = await waitFor(
        async () => {
          const seen = await wallWithApi(page);
          const down = seen.api.nodes.filter((n) => !n.up).length;
          return seen.api.nodes.length === 30 && down === 29 ? seen : undefined;
        },
        { timeoutMs: 90_000, description: "the wall to show 30 nodes, 29 of them down" },
      );
      expectWallToMatch(api, shown);
      // past 24 nodes the strip names each node on one line: all 30 fit, none is counted instead
      expect(shown.nodes).toHaveLength(30);
      expect(shown.moreNodes).toBe(0);
      for (const tile of Object.values(shown.health)) {
        expect(tile.notes[0]).toBe("29 of 30 nodes down: not counted");
      }
      // nothing overflows the 1920×1080 screen
      const overflow = await page.evaluate(() => ({
        page: document.documentElement.scrollHeight > window.innerHeight,
        tiles: [...document.querySelectorAll("[data-testid^='wall-']")].some((el) => {
          const box = el.getBoundingClientRect();
          return box.bottom > window.innerHeight || box.right > window.innerWidth;
        }),
      }));
      expect(overflow).toEqual({ page: false, tiles: false });
      await page.screenshot({ path: path.join(screenshotDir, "wall-30-nodes.png") });
    } finally {
      for (const name of extra) await removeNode(db, name).catch(() => undefined);
    }
    expect(errors).toEqual([]);
  });
});
