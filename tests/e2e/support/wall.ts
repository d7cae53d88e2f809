import type { Page } from "playwright-core";
import { expect } from "vitest";
import { cycleKey } from "@/components/live/fleet-view";
import type { OverviewResponse } from "@/lib/poller/snapshot";
import { waitFor } from "../../support/wait";
import { expectedTile, expectedWallStrip, type WallTileId, wallTileKeys } from "./expected";
import { expectedHealthAgePrefix, expectedHealthTile, healthTileIds } from "./expected-health";
import { fetchOverview, readWall, type WallState } from "./page-state";
import type { DashboardSuite } from "./suite";

// The wall pages of the browser suite: opened with a kiosk token, read at the API's poll cycle, checked against it.

export async function openWall(
  suite: DashboardSuite,
  name: string,
  routes?: (page: Page) => Promise<unknown>,
) {
  const token = await suite.createKioskToken(name);
  const opened = await suite.newPage();
  await routes?.(opened.page);
  await opened.page.goto(`${suite.baseUrl()}/wall?kiosk=${token}`);
  expect(new URL(opened.page.url()).pathname).toBe("/wall");
  expect(opened.page.url()).not.toContain(token);
  return opened;
}

/** The wall once it shows the API's latest poll cycle, and that snapshot. */
export function wallWithApi(page: Page): Promise<{ api: OverviewResponse; shown: WallState }> {
  return waitFor(
    async () => {
      const api = await fetchOverview(page);
      const shown = await readWall(page);
      return shown.cycle === cycleKey(api) ? { api, shown } : undefined;
    },
    { timeoutMs: 20_000, description: "the wall and the API to show the same poll cycle" },
  );
}

/**
 * Every tile's tone and its stale / missing parts (with a note for each kind), every health tile's tone, text and
 * notes, and the node strip, as `api` says.
 */
export function expectWallToMatch(api: OverviewResponse, shown: WallState) {
  for (const id of Object.keys(wallTileKeys) as WallTileId[]) {
    const expected = expectedTile(api, id);
    const tile = shown.tiles[id];
    expect(
      { tone: tile?.tone, staleParts: tile?.staleParts, missingParts: tile?.missingParts },
      `tile ${id}`,
    ).toEqual(expected);
    expect(tile?.notes.length, `tile ${id}: ${tile?.notes}`).toBe(
      Number(expected.staleParts > 0) + Number(expected.missingParts > 0),
    );
    // a stale part makes the number partly old: the tile gives the age of its oldest part instead
    expect(tile?.ageText, `tile ${id}`).toMatch(
      expected.staleParts > 0 ? /^incl\. stale from \d/ : /^updated \d/,
    );
  }
  for (const id of healthTileIds) {
    const tile = shown.health[id];
    const { ageText, ...text } = tile ?? { ageText: "" };
    expect(text, `health tile ${id}`).toEqual(expectedHealthTile(api, id));
    expect(ageText, `health tile ${id}`).toMatch(
      new RegExp(`^${expectedHealthAgePrefix(api, id)} \\d.* ago$`),
    );
  }
  const strip = expectedWallStrip(api);
  expect(shown.nodes.map(({ name, tone, probeProblems }) => ({ name, tone, probeProblems }))).toEqual(
    strip.nodes,
  );
  expect(shown.moreNodes).toBe(strip.moreNodes);
}
