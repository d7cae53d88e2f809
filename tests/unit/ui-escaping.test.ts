import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NodeTable } from "@/components/overview/node-table";
import { NodeStrip } from "@/components/wall/node-strip";
import { buildDownNodeSnapshot, buildFleetSnapshot, withAges } from "@/lib/poller/snapshot";

// Strings that reach the pages from outside (node errors carry text from the network) are rendered as text.

const hostile = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
const polledAt = new Date("2025-01-01T10:00:00.000Z");
const down = buildDownNodeSnapshot(
  { name: "edge<b>1</b>", rpcUrl: "http://127.0.0.1:1/RPC", intervalMs: 2000 },
  { polledAt, durationMs: 10 },
  hostile,
  undefined,
);
const [node] = withAges(buildFleetSnapshot([down], 2000, polledAt), polledAt).nodes;

describe("pages render outside text as text", () => {
  it.each([
    ["the overview node table", () => createElement(NodeTable, { nodes: node ? [node] : [], elapsedMs: 0 })],
    ["the wall node strip", () => createElement(NodeStrip, { nodes: node ? [node] : [], elapsedMs: 0 })],
  ])("%s escapes a hostile error message and node name", (_name, element) => {
    const html = renderToStaticMarkup(element());
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>1</b>");
    expect(html).toContain("&lt;img src=x onerror=");
    expect(html).toContain("edge&lt;b&gt;1&lt;/b&gt;");
  });
});
