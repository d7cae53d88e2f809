import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION, readRetentionConfig } from "./retention-config";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("readRetentionConfig", () => {
  it("defaults to 2 days raw, 30 days of 1-minute and 400 days of 1-hour rollups", () => {
    expect(readRetentionConfig({})).toEqual({
      rawMs: 2 * DAY_MS,
      oneMinuteMs: 30 * DAY_MS,
      oneHourMs: 400 * DAY_MS,
    });
    expect(readRetentionConfig({})).toEqual(DEFAULT_RETENTION);
  });

  it("reads minutes, hours, days and weeks", () => {
    expect(
      readRetentionConfig({
        KAMDASH_RETENTION_RAW: "36h",
        KAMDASH_RETENTION_1M: " 8W ",
        KAMDASH_RETENTION_1H: "150m",
      }),
    ).toEqual({ rawMs: 36 * HOUR_MS, oneMinuteMs: 56 * DAY_MS, oneHourMs: 150 * 60_000 });
  });

  it("refuses other text and values under 2 h, naming the variable and the value", () => {
    expect(() => readRetentionConfig({ KAMDASH_RETENTION_RAW: "2 days" })).toThrow(
      'KAMDASH_RETENTION_RAW must be a duration such as 90m, 36h, 2d or 8w, got "2 days"',
    );
    expect(() => readRetentionConfig({ KAMDASH_RETENTION_1H: "90m" })).toThrow(
      'KAMDASH_RETENTION_1H must be at least 2h, got "90m"',
    );
  });
});
