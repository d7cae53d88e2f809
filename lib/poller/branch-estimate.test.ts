import { describe, expect, it } from "vitest";
import {
  ESTIMATE_FORMULA,
  ESTIMATE_STATS,
  estimateBranches,
  newEstimateWindows,
  readEstimateCounters,
} from "./branch-estimate";
import { MIN_BRANCHES_TO_JUDGE } from "./branch-windows";

const t0 = Date.parse("2026-11-30T10:00:00Z");
const at = (s: number) => t0 + s * 1000;
/** A stats.fetch reply (strings, as Kamailio prints them) with 2xx…6xx final replies to INVITE. */
const stats = (r2: number, r3: number, r4: number, r5: number, r6: number) =>
  Object.fromEntries(ESTIMATE_STATS.map((name, i) => [name, String([r2, r3, r4, r5, r6][i])]));
const reading = (...r: [number, number, number, number, number]) =>
  estimateBranches(readEstimateCounters(stats(...r)));

describe("branch-failure estimate from reply statistics", () => {
  it("reads Σ 2xx..6xx INVITE replies as the branches and 5xx as the failures", () => {
    expect(readEstimateCounters(stats(90, 1, 30, 4, 2))).toEqual({ finals: 127, failed: 4 });
  });

  it("is unavailable (null), not 0, when Kamailio leaves a statistic out; a bad value is a gap", () => {
    const partial = stats(1, 0, 0, 0, 0);
    delete partial["core.rcv_replies_5xx_invite"];
    expect(readEstimateCounters(partial)).toBeNull();
    expect(readEstimateCounters({})).toBeNull();
    expect(readEstimateCounters({ ...stats(1, 0, 0, 0, 0), "core.rcv_replies_5xx_invite": "-3" })).toEqual({
      finals: null,
      failed: null,
    });
    expect(readEstimateCounters({ ...stats(1, 0, 0, 0, 0), "core.rcv_replies_2xx_invite": "lots" })).toEqual({
      finals: null,
      failed: null,
    });
  });

  it("gives the rate over the same windows, marked estimate with its formula", () => {
    const w = newEstimateWindows();
    w.add(at(0), false, reading(100, 0, 10, 1, 0));
    // 40 more final replies: 30 × 200, 4 × 486 (delivered, not a failure), 2 × 401/407 challenges, 4 × 503
    w.add(at(2), false, reading(130, 0, 16, 5, 0));
    const failure = w.failure(at(2));
    expect(failure).toMatchObject({ source: "reply statistics", estimate: true, formula: ESTIMATE_FORMULA });
    const five = failure.windows.find((x) => x.window === "5m");
    expect(five?.total).toEqual({ relayed: 40, failed: 4, rate: 0.1, verdict: "judged" });
    expect(five?.worst).toEqual({ direction: "all", rate: 0.1 });
  });

  it("says too few under the minimum instead of 0 % or 100 %", () => {
    const w = newEstimateWindows();
    w.add(at(0), false, reading(0, 0, 0, 0, 0));
    w.add(at(2), false, reading(MIN_BRANCHES_TO_JUDGE - 2, 0, 0, 1, 0));
    const minute = w.failure(at(2)).windows.find((x) => x.window === "1m");
    expect(minute?.total).toMatchObject({
      rate: null,
      verdict: "too_few",
      relayed: MIN_BRANCHES_TO_JUDGE - 1,
    });
    expect(minute?.worst).toBeNull();
  });

  it("a restart (statistics from 0 again) or a drop gives no negative rate and no spike", () => {
    const w = newEstimateWindows();
    w.add(at(0), false, reading(500, 0, 0, 50, 0));
    w.add(at(2), false, reading(520, 0, 0, 50, 0));
    w.add(at(4), true, reading(3, 0, 0, 3, 0)); // Kamailio restarted: left out
    w.add(at(6), false, reading(23, 0, 0, 4, 0));
    w.add(at(8), false, reading(10, 0, 0, 4, 0)); // went down without a restart mark: left out
    w.add(at(10), false, null); // not measured: a gap
    w.add(at(12), false, reading(30, 0, 0, 4, 0));
    const minute = w.failure(at(12)).windows.find((x) => x.window === "1m");
    expect(minute?.total).toEqual({ relayed: 41, failed: 1, rate: 1 / 41, verdict: "judged" });
    for (const window of w.failure(at(12)).windows) {
      expect(window.total.rate === null || (window.total.rate >= 0 && window.total.rate <= 1)).toBe(true);
    }
  });
});
