import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CHIP_NAME_CHARS, chipName } from "@/components/wall/node-chips";
import { NodeStrip, stripLayout } from "@/components/wall/node-strip";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  withAges,
} from "@/lib/poller/snapshot";
import { sampleMeasurement } from "../support/snapshots";

// The wall's node strip with many nodes: compact tiles or one-line chips, problems first, the rest counted rather
// than cut off.

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
  it("keeps full tiles up to 10 nodes, compact ones up to 24, one-line chips beyond (80 places)", () => {
    expect(stripLayout(10)).toEqual({ mode: "full", columns: 5, places: 10 });
    expect(stripLayout(24)).toEqual({ mode: "compact", columns: 6, places: 24 });
    expect(stripLayout(30)).toEqual({ mode: "dense", columns: 8, places: 80 });
    expect(stripLayout(100)).toEqual({ mode: "dense", columns: 8, places: 80 });
  });

  it("names all 30 nodes of a 30-node fleet, down nodes first", () => {
    const names = Array.from({ length: 29 }, (_, i) => `extra-${String(i + 1).padStart(2, "0")}`);
    const html = render([up("lab"), ...names.map(down)]);
    expect(html).toContain('data-mode="dense"');
    expect(shownNames(html)).toEqual([...names, "lab"]);
    expect(html).not.toContain("wall-node-more");
  });

  it("past 80 nodes names only the problem nodes and counts the rest by state", () => {
    const downs = Array.from({ length: 5 }, (_, i) => `edge-down-${i + 1}`);
    const ups = Array.from({ length: 95 }, (_, i) => `edge-${String(i + 1).padStart(3, "0")}`);
    const html = render([...ups.map(up), ...downs.map(down)]);
    expect(shownNames(html)).toEqual(downs);
    expect(html).toContain('data-testid="wall-node-more" data-count="95"');
    expect(html).toContain("+95 more · 95 up");
    // more problem nodes than places: 78 named, the rest counted
    const many = Array.from({ length: 90 }, (_, i) => `far-${String(i + 1).padStart(2, "0")}`);
    const full = render([...many.map(down), ...ups.slice(0, 10).map(up)]);
    expect(shownNames(full)).toEqual(many.slice(0, 78));
    expect(full).toContain("+22 more · 12 down · 10 up");
  });

  it("cuts a long name in the middle on a chip, the whole name in the title", () => {
    expect(chipName("kamailio-edge-frankfurt-017")).toBe("kamailio-e…ankfurt-017");
    expect(chipName("kamailio-edge-frankfurt-017")).toHaveLength(CHIP_NAME_CHARS);
    expect(chipName("edge-1")).toBe("edge-1");
  });

  it("shows every node of a small fleet", () => {
    const html = render([up("a"), down("b")]);
    expect(html).toContain('data-compact="false"');
    expect(shownNames(html)).toEqual(["b", "a"]);
    expect(html).not.toContain("wall-node-more");
  });
});
