import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPool } from "../../scripts/bench/client-generator";
import { verdict, writeSection } from "../../scripts/bench/results-file";
import { parseDuration } from "../../scripts/bench/soak";

// The benchmark plumbing that decides what ends up in bench/RESULTS.md: section merging, the client generator's
// bounded pool, the soak's duration option, the met / not met marks.

const dir = await mkdtemp(path.join(tmpdir(), "kamdash-bench-results-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("bench results file", () => {
  it("replaces only the re-run section and keeps the sections in their fixed order", async () => {
    const file = path.join(dir, "RESULTS.md");
    await writeSection("wall", ["## wall", "first wall run"], file);
    await writeSection("carrier", ["## carrier", "carrier run"], file);
    await writeSection("wall", ["## wall", "second wall run"], file);
    const text = await readFile(file, "utf8");
    expect(text.startsWith("# kamdash benchmarks")).toBe(true);
    expect(text).toContain("second wall run");
    expect(text).not.toContain("first wall run");
    expect(text.indexOf("carrier run")).toBeLessThan(text.indexOf("second wall run"));
    expect(text.match(/<!-- bench:wall -->/g)).toHaveLength(1);
  });

  it("marks a value against its upper bound", () => {
    expect(verdict(1.12, 1.25)).toBe("met");
    expect(verdict(1.25, 1.25)).toBe("met");
    expect(verdict(2.45, 1.25)).toBe("NOT met");
  });
});

describe("client generator pool", () => {
  it("runs every index once with at most `limit` in flight, and stops taking work when told", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(50, 7, async (i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
      seen.push(i);
      running -= 1;
    });
    expect(peak).toBe(7);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_u, i) => i));
    const stopped: number[] = [];
    await runPool(
      100,
      4,
      async (i) => {
        stopped.push(i);
      },
      () => stopped.length >= 10,
    );
    expect(stopped.length).toBeLessThan(100);
  });
});

describe("soak duration", () => {
  it("reads 30m, 90s, 1h and a bare number of minutes; refuses anything else", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("10")).toBe(600_000);
    expect(() => parseDuration("soon")).toThrow(/duration/);
  });
});
