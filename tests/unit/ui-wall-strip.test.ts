import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NodeStrip, stripLayout } from "@/components/wall/node-strip";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  withAges,
} from "@/lib/poller/snapshot";
import { sampleMeasurement } from "../support/snapshots";

// The wall's node strip with many nodes: compact tiles, problems first, the rest counted rather than cut off.

const polledAt = new Date("2026-11-30T10:00:00Z");
const identity = (name: string) => ({ name, rpcUrl: `http://${name}/RPC`, intervalMs: 2000 });
const up = (name: string) =>
  buildUpNodeSnapshot(identity(name), { polledAt, durationMs: 3 }, sampleMeasurement());
const down = (name: string) =>
  buildDownNodeSnapshot(identity(name), { polledAt, durationMs: 3 }, "connect ECONNREFUSED", undefined);

function render(nodes: ReturnType<typeof up>[]) {
  const fleet = withAges(buildFleetSnapshot(nodes, 2000, polledAt), polledAt);
  return renderToStaticMarkup(createElement(NodeStrip, { nodes: fleet.nodes, elapsedMs: 0 }));
}
const shownNames = (html: string) => [...html.matchAll(/data-node="([^"]*)"/g)].map((m) => m[1]);

describe("wall node strip", () => {
  it("keeps full tiles up to 10 nodes, compact ones beyond, and counts what does not fit past 24", () => {
    expect(stripLayout(10)).toEqual({ compact: false, shown: 10, columns: 5 });
    expect(stripLayout(24)).toEqual({ compact: true, shown: 24, columns: 6 });
    expect(stripLayout(30)).toEqual({ compact: true, shown: 23, columns: 6 });
  });

  it("shows down nodes first and counts the ones left out by state", () => {
    const names = Array.from({ length: 29 }, (_, i) => `extra-${String(i + 1).padStart(2, "0")}`);
    const html = render([up("lab"), ...names.map(down)]);
    expect(html).toContain('data-compact="true"');
    expect(shownNames(html)).toEqual(names.slice(0, 23));
    expect(html).toContain('data-testid="wall-node-more" data-count="7"');
    expect(html).toContain("+7 more");
    expect(html).toContain("6 down · 1 up");
  });

  it("shows every node of a small fleet", () => {
    const html = render([up("a"), down("b")]);
    expect(html).toContain('data-compact="false"');
    expect(shownNames(html)).toEqual(["b", "a"]);
    expect(html).not.toContain("wall-node-more");
  });
});
