import { describe, expect, it } from "vitest";
import { BranchWindows, MIN_BRANCHES_TO_JUDGE } from "./branch-windows";

const t0 = Date.parse("2026-11-30T10:00:00Z");
const at = (s: number) => t0 + s * 1000;
const wssUdp = (relayed: number, failed: number) => [{ direction: "wss_udp", relayed, failed }];
const window = (w: BranchWindows, name: string, nowS: number) => {
  const found = w.failure(at(nowS)).windows.find((x) => x.window === name);
  if (!found) throw new Error(`no window ${name}`);
  return found;
};

describe("branch-failure windows", () => {
  it("200 branches of which 3 failed read exactly 3/200 over the window that holds them", () => {
    const w = new BranchWindows();
    w.add(at(0), false, wssUdp(1000, 10));
    // 20 branches every 2 s; 2 fail between the 2nd and 3rd sample, 1 between the 6th and 7th
    for (let i = 1; i <= 10; i++)
      w.add(at(2 * i), false, wssUdp(1000 + 20 * i, 10 + (i >= 3 ? 2 : 0) + (i >= 7 ? 1 : 0)));
    const five = window(w, "5m", 20);
    expect(five.total).toEqual({ relayed: 200, failed: 3, rate: 3 / 200, verdict: "judged" });
    expect(five.directions).toEqual([
      { direction: "wss_udp", relayed: 200, failed: 3, rate: 0.015, verdict: "judged" },
    ]);
    expect(five.worst).toEqual({ direction: "wss_udp", rate: 0.015 });
    expect(five.coveredS).toBe(20);
  });

  it("a restart mid-run gives no negative rate and no spike: the delta across it is left out", () => {
    const w = new BranchWindows();
    w.add(at(0), false, wssUdp(500, 5));
    w.add(at(2), false, wssUdp(540, 5));
    w.add(at(4), true, wssUdp(3, 0)); // Kamailio restarted: counters from 0 again
    w.add(at(6), false, wssUdp(43, 1));
    const minute = window(w, "1m", 6);
    expect(minute.total).toEqual({ relayed: 80, failed: 1, rate: 1 / 80, verdict: "judged" });
    expect(minute.coveredS).toBe(4);
  });

  it("a counter going down without a restart mark, or a sample without counters, is a gap, never a negative delta", () => {
    const w = new BranchWindows();
    w.add(at(0), false, wssUdp(500, 5));
    w.add(at(2), false, wssUdp(400, 5));
    w.add(at(4), false, null);
    w.add(at(6), false, wssUdp(430, 5));
    w.add(at(8), false, wssUdp(460, 6));
    expect(window(w, "1m", 8).total).toEqual({ relayed: 30, failed: 1, rate: 1 / 30, verdict: "judged" });
  });

  it("says 'too few' under the minimum, and 'inconsistent' when failures outnumber the window's branches", () => {
    const w = new BranchWindows();
    w.add(at(0), false, wssUdp(0, 0));
    w.add(at(2), false, wssUdp(MIN_BRANCHES_TO_JUDGE - 1, 1));
    expect(window(w, "1m", 2).total).toMatchObject({
      rate: null,
      verdict: "too_few",
      relayed: MIN_BRANCHES_TO_JUDGE - 1,
    });
    expect(window(w, "1m", 2).worst).toBeNull();
    const late = new BranchWindows();
    late.add(at(0), false, wssUdp(100, 0));
    late.add(at(40), false, wssUdp(100, 3)); // timeouts of branches relayed before
    expect(window(late, "1m", 40).total).toMatchObject({ rate: null, verdict: "inconsistent" });
  });

  it("each window holds only the deltas that end inside it; older samples are dropped after an hour", () => {
    const w = new BranchWindows();
    w.add(at(0), false, wssUdp(0, 0));
    w.add(at(100), false, wssUdp(100, 10)); // 100 s before "now": in 5 min and 1 h, not in 1 min
    w.add(at(200), false, wssUdp(150, 10));
    expect(window(w, "1m", 200).total).toMatchObject({ relayed: 50, failed: 0, rate: 0 });
    expect(window(w, "5m", 200).total).toMatchObject({ relayed: 150, failed: 10 });
    for (let s = 202; s <= 4000; s += 2) w.add(at(s), false, wssUdp(150, 10));
    expect(window(w, "1h", 4000).total).toMatchObject({ relayed: 0, failed: 0 });
    expect(window(w, "1h", 4000).coveredS).toBe(3600);
  });
});
