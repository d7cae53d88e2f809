import { describe, expect, it } from "vitest";
import { pickResolution, rollupBucketMs } from "./resolution";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("pickResolution", () => {
  const to = new Date("2026-03-10T00:00:00.000Z");
  const range = (ms: number) => ({ from: new Date(to.getTime() - ms), to });

  it("raw up to 6 h, 1-minute rollups up to 7 days, 1-hour beyond", () => {
    expect(
      [HOUR_MS, 6 * HOUR_MS, DAY_MS, 7 * DAY_MS, 30 * DAY_MS].map((ms) => pickResolution(range(ms), {})),
    ).toEqual(["raw", "raw", "1m", "1m", "1h"]);
  });

  it("goes coarser where retention already cut the finer store", () => {
    const horizons = { raw: new Date(to.getTime() - 30 * 60_000), "1m": new Date(to.getTime() - 2 * DAY_MS) };
    expect(pickResolution(range(HOUR_MS), horizons)).toBe("1m");
    expect(pickResolution(range(10 * 60_000), horizons)).toBe("raw");
    expect(pickResolution(range(3 * DAY_MS), horizons)).toBe("1h");
  });

  it("widens buckets to whole rollup buckets, at most 1500 per range", () => {
    expect(rollupBucketMs(DAY_MS, 60_000)).toBe(60_000);
    expect(rollupBucketMs(7 * DAY_MS, 60_000)).toBe(7 * 60_000);
    expect(rollupBucketMs(30 * DAY_MS, HOUR_MS)).toBe(HOUR_MS);
    expect(rollupBucketMs(DAY_MS, HOUR_MS, { requestedMs: 90 * 60_000 })).toBe(2 * HOUR_MS);
  });
});
