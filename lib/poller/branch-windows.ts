import { z } from "zod";

/** A direction's counters in one sample (null: the value read could not be true). */
type BranchCounters = { direction: string; relayed: number | null; failed: number | null };

// Branch-failure rate per bridge direction over sliding windows, from the gateway's `bridge` counters
// (cnt.grp_get_all: <from>_<to>_relayed / _failed). A branch counts as failed when the network did not deliver it
// (no reply, 408, 5xx, unsent; gateway/routes-media.cfg): rate = Δfailed ÷ Δrelayed between samples of one node.

export const BRANCH_WINDOWS = [
  { window: "1m", ms: 60_000 },
  { window: "5m", ms: 300_000 },
  { window: "1h", ms: 3_600_000 },
] as const;
const LONGEST_WINDOW_MS = Math.max(...BRANCH_WINDOWS.map((w) => w.ms));
/** Below this many relayed branches a window's rate is not judged (a handful of calls would read 0 % or 50 %). */
export const MIN_BRANCHES_TO_JUDGE = 20;

const verdicts = ["judged", "too_few", "inconsistent"] as const;
const RateSchema = z.object({
  relayed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** failed ÷ relayed (0..1); null unless `verdict` is "judged". */
  rate: z.number().min(0).max(1).nullable(),
  /**
   * judged; too_few: fewer than MIN_BRANCHES_TO_JUDGE relayed; inconsistent: more failures than branches in the
   * window (branches relayed before it timing out inside it), so no rate can be true.
   */
  verdict: z.enum(verdicts),
});
export const BranchWindowSchema = z.object({
  window: z.enum(["1m", "5m", "1h"]),
  /** How much of the window the samples cover, s (less than the window after a start, a restart or a gap). */
  coveredS: z.number().nonnegative(),
  total: RateSchema,
  directions: z.array(RateSchema.extend({ direction: z.string() })),
  /** The judged direction with the highest rate. */
  worst: z.object({ direction: z.string(), rate: z.number() }).nullable(),
});
export type BranchWindow = z.infer<typeof BranchWindowSchema>;
export const BranchFailureSchema = z.object({
  /** bridge counters: the gateway's own; reply statistics: the estimate for a config without them. */
  source: z.enum(["bridge counters", "reply statistics"]),
  /**
   * true when the rate is an estimate from Kamailio's reply statistics (lib/poller/branch-estimate.ts), for a node
   * without bridge counters; its single "direction" is then "all" and relayed/failed count INVITE final replies.
   */
  estimate: z.boolean().optional(),
  /** The estimate's formula in words (null for the bridge counters). Both are set by BranchWindows. */
  formula: z.string().nullable().optional(),
  windows: z.array(BranchWindowSchema),
});
export type BranchFailure = z.infer<typeof BranchFailureSchema>;

type Point = {
  atMs: number;
  restarted: boolean;
  counters: Map<string, { relayed: number; failed: number }> | null;
};
type Delta = { fromMs: number; toMs: number; byDirection: Map<string, { relayed: number; failed: number }> };

function rate(relayed: number, failed: number): z.infer<typeof RateSchema> {
  if (failed > relayed) return { relayed, failed, rate: null, verdict: "inconsistent" };
  if (relayed < MIN_BRANCHES_TO_JUDGE) return { relayed, failed, rate: null, verdict: "too_few" };
  return { relayed, failed, rate: failed / relayed, verdict: "judged" };
}

/**
 * One node's branch counters over the last hour, turned into rates per window. Deltas are taken between
 * consecutive samples only: none across a sample marked restarted (counters started again from 0), none where a
 * sample has no counters (probe failing, node down), none for a direction whose value went down. So a rate is
 * never negative and never spikes across a restart or a gap.
 */
export class BranchWindows {
  private points: Point[] = [];

  /** Default: the gateway's bridge counters. The estimate passes its source and formula (branch-estimate.ts). */
  constructor(
    private readonly origin: { source: BranchFailure["source"]; formula: string | null } = {
      source: "bridge counters",
      formula: null,
    },
  ) {}

  /** Adds one cycle's counters (null when not measured in that cycle). `atMs`: when the cycle ran (epoch ms). */
  add(atMs: number, restarted: boolean, branches: readonly BranchCounters[] | null): void {
    let counters: Point["counters"] = null;
    if (branches) {
      counters = new Map();
      for (const b of branches) {
        if (b.relayed !== null && b.failed !== null)
          counters.set(b.direction, { relayed: b.relayed, failed: b.failed });
      }
    }
    this.points.push({ atMs, restarted, counters });
    const oldest = atMs - LONGEST_WINDOW_MS;
    while (this.points.length > 2 && (this.points[1]?.atMs ?? atMs) <= oldest) this.points.shift();
  }

  private deltas(): Delta[] {
    const out: Delta[] = [];
    for (let i = 1; i < this.points.length; i++) {
      const before = this.points[i - 1];
      const after = this.points[i];
      if (!before?.counters || !after?.counters || after.restarted) continue;
      const byDirection = new Map<string, { relayed: number; failed: number }>();
      for (const [direction, now] of after.counters) {
        const then = before.counters.get(direction);
        if (!then || now.relayed < then.relayed || now.failed < then.failed) continue;
        byDirection.set(direction, { relayed: now.relayed - then.relayed, failed: now.failed - then.failed });
      }
      out.push({ fromMs: before.atMs, toMs: after.atMs, byDirection });
    }
    return out;
  }

  /** Rates per window ending at `nowMs`: a delta belongs to a window when its later sample falls inside it. */
  failure(nowMs: number): BranchFailure {
    const deltas = this.deltas();
    const windows = BRANCH_WINDOWS.map(({ window, ms }): BranchWindow => {
      const start = nowMs - ms;
      const sums = new Map<string, { relayed: number; failed: number }>();
      let coveredMs = 0;
      for (const d of deltas) {
        if (d.toMs <= start || d.toMs > nowMs) continue;
        coveredMs += d.toMs - Math.max(d.fromMs, start);
        for (const [direction, v] of d.byDirection) {
          const sum = sums.get(direction) ?? { relayed: 0, failed: 0 };
          sum.relayed += v.relayed;
          sum.failed += v.failed;
          sums.set(direction, sum);
        }
      }
      const directions = [...sums.entries()]
        .filter(([, v]) => v.relayed > 0 || v.failed > 0)
        .map(([direction, v]) => ({ direction, ...rate(v.relayed, v.failed) }))
        .sort((a, b) => a.direction.localeCompare(b.direction));
      const relayed = directions.reduce((n, d) => n + d.relayed, 0);
      const failed = directions.reduce((n, d) => n + d.failed, 0);
      const judged = directions.filter((d) => d.rate !== null) as { direction: string; rate: number }[];
      const worst = judged.reduce<{ direction: string; rate: number } | null>(
        (w, d) => (w === null || d.rate > w.rate ? { direction: d.direction, rate: d.rate } : w),
        null,
      );
      return {
        window,
        coveredS: Math.round(coveredMs / 1000),
        total: rate(relayed, failed),
        directions,
        worst,
      };
    });
    const { source, formula } = this.origin;
    return { source, estimate: source !== "bridge counters", formula, windows };
  }
}
