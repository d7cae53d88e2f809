import { describe, expect, it } from "vitest";
import { checkCounter, checkCounter32, checkGauge, GAUGE_BOUNDS, NumberChecker } from "./plausible";

describe("checkGauge", () => {
  it("takes whole numbers within the bound, from numbers or stats.fetch text", () => {
    expect(checkGauge("ws", 12, GAUGE_BOUNDS.connections)).toEqual({ value: 12, rejection: null });
    expect(checkGauge("dialog.active_dialogs", "77", GAUGE_BOUNDS.dialogs).value).toBe(77);
    expect(checkGauge("ws", 0, GAUGE_BOUNDS.connections).value).toBe(0);
  });

  it("rejects a wrapped gauge exactly (text compared as an integer, not rounded into range)", () => {
    const wrapped = checkGauge("dialog.early_dialogs", "9223372036854776000", GAUGE_BOUNDS.dialogs);
    expect(wrapped.value).toBeNull();
    expect(wrapped.rejection).toEqual({
      field: "dialog.early_dialogs",
      value: "9223372036854776000",
      rule: "above 2^53: printed through a double, not exact",
    });
    expect(checkGauge("x", "18446744073709551615", 10).rejection?.rule).toContain("2^53");
    expect(checkGauge("x", 2 ** 40, GAUGE_BOUNDS.dialogs).rejection?.rule).toContain(
      "plausibility bound 10000000",
    );
  });

  it("rejects negative, fractional and non-numeric values", () => {
    expect(checkGauge("x", -1, 10).rejection?.rule).toBe("a gauge cannot be negative");
    expect(checkGauge("x", 1.5, 10).rejection?.rule).toBe("not a whole number");
    expect(checkGauge("x", "12abc", 10).rejection?.rule).toBe("not a whole number");
    expect(checkGauge("x", Number.NaN, 10).value).toBeNull();
  });
});

describe("checkCounter (stats.fetch counters)", () => {
  it("never negative, never back without a restart", () => {
    expect(checkCounter("tmx.2xx_transactions", "5", undefined).value).toBe(5);
    expect(checkCounter("tmx.2xx_transactions", "5", 5).value).toBe(5);
    expect(checkCounter("tmx.2xx_transactions", "4", 5).rejection?.rule).toContain("went back from 5");
    expect(checkCounter("c", "-3", undefined).rejection?.rule).toBe("a counter cannot be negative");
  });
});

describe("checkCounter32 (cnt.* counters printed through an int cast)", () => {
  it("unwraps a negative print when the previous sample makes it unambiguous", () => {
    expect(checkCounter32("cnt.wss_udp_relayed", -1294967296, 2_999_999_000).value).toBe(3_000_000_000);
    expect(checkCounter32("c", 200, 4_294_967_000).value).toBe(4_294_967_496); // past 2^32: small again
    expect(checkCounter32("c", 1200, 1000).value).toBe(1200);
  });

  it("is null with the reason when there is no earlier sample, and rejects a counter that went back", () => {
    const first = checkCounter32("cnt.wss_udp_relayed", -1294967296, undefined);
    expect(first.value).toBeNull();
    expect(first.rejection?.rule).toContain("no earlier sample to unwrap it");
    expect(checkCounter32("c", 500, 1000).rejection?.rule).toContain("went back from 1000");
    expect(checkCounter32("c", 2 ** 32, undefined).rejection?.rule).toContain("32-bit range");
  });
});

describe("NumberChecker", () => {
  it("collects rejections and keeps accepted counters for the next check", () => {
    const check = new NumberChecker();
    const previous = new Map<string, number>();
    expect(check.counter32("cnt.a", 2_147_483_000, previous)).toBe(2_147_483_000);
    expect(check.counter32("cnt.a", -2_147_483_000, previous)).toBe(2_147_484_296);
    expect(check.gauge("ws", -1, 10)).toBeNull();
    expect(check.gauge("ws", null, 10)).toBeNull();
    expect(check.rejections.map((r) => r.field)).toEqual(["ws"]);
    expect(previous.get("cnt.a")).toBe(2_147_484_296);
  });
});
