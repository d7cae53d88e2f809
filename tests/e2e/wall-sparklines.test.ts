import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { waitFor } from "../support/wait";
import { screenshotDir, setupDashboardApp } from "./support/suite";
import { openWall } from "./support/wall";

// The wall's health tiles draw the last hour of their number from the 1-minute rollups in PostgreSQL. A fresh app
// has none yet, so this file writes 30 minutes of the lab node's rollup rows (ending before the app's own samples,
// which the rollup job keeps rolling up), with a 10-minute gap in the middle, and looks at the drawn lines.

const suite = setupDashboardApp();
const MINUTE_MS = 60_000;

describe("wall sparklines", () => {
  it("draws a last-hour line on the health tiles, with the gap left out", async () => {
    const db = await getDb();
    const lab = await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } });
    const first = await db.sample.aggregate({ where: { nodeId: lab.id }, _min: { at: true } });
    // minutes before the app's first sample: the rollup job never writes over them
    const end = Math.floor((first._min.at?.getTime() ?? Date.now()) / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS;
    const minutes = Array.from({ length: 30 }, (_, i) => end - (30 - i) * MINUTE_MS).filter(
      (_at, i) => i < 10 || i >= 20, // 10 minutes without rows: kamdash not polling, a gap
    );
    for (const [i, at] of minutes.entries()) {
      const bucket = new Date(at);
      await db.rollup1m.create({
        data: {
          nodeId: lab.id,
          bucket,
          samples: 30,
          upSamples: 30,
          rtpengineSessionsAvg: 5 + (i % 3),
          callsAnsweredAvg: 5,
          socketsWithoutRegistrationAvg: i % 4,
          handshakeAttempts: 6,
          handshakeOk: 6,
          handshakeP95Ms: 40 + i,
        },
      });
      await db.branchRollup1m.create({
        data: { nodeId: lab.id, bucket, direction: "wss_udp", relayed: 100n, failed: BigInt(i % 3) },
      });
    }

    const { page, errors } = await openWall(suite, "e2e-wall-sparklines");
    for (const id of ["branch-failure", "sessions", "sockets"]) {
      const spark = page.locator(`[data-testid='wall-health-${id}'] [data-testid='wall-health-sparkline']`);
      // the minutes written, plus those the app's rollup job made of the lab's own samples meanwhile
      await waitFor(async () => Number(await spark.getAttribute("data-points")) >= minutes.length, {
        timeoutMs: 20_000,
        description: `the ${id} sparkline to hold the ${minutes.length} minutes written`,
      });
      // drawn: an area path in the tile's svg
      await spark
        .locator("svg path.recharts-area-area")
        .first()
        .waitFor({ state: "attached", timeout: 20_000 });
    }
    // the 10 minutes without rows split the branch-failure line in two (the lab itself relays too few to judge)
    const line = await page
      .locator("[data-testid='wall-health-branch-failure'] svg path.recharts-area-curve")
      .first()
      .getAttribute("d");
    expect(line?.match(/M/g)?.length, line ?? "").toBe(2);
    await page.screenshot({ path: path.join(screenshotDir, "wall-sparklines.png") });
    expect(errors).toEqual([]);
  });
});
