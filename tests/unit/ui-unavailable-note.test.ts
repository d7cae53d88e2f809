import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NodeTable } from "@/components/overview/node-table";
import { buildFleetSnapshot, buildUpNodeSnapshot, withAges } from "@/lib/poller/snapshot";

// An up node that cannot serve some probes says which in the overview's node table; the reasons (text from
// Kamailio) stay text. This snapshot has no per-probe states (as written before they existed): its `unavailable`
// list stands in for them.

const polledAt = new Date("2025-01-01T10:00:00.000Z");
const up = buildUpNodeSnapshot(
  { name: "plain", rpcUrl: "http://127.0.0.1:1/RPC", intervalMs: 2000 },
  { polledAt, durationMs: 10 },
  {
    ws: 0,
    wss: 0,
    registrations: null,
    aors: null,
    dialogsActive: null,
    dialogsEarly: null,
    rtpengineUp: 1,
    rtpengineTotal: 1,
    rtpengines: [],
    branches: null,
    stats: {},
    unavailable: [
      {
        probe: "registrations",
        reason: "ul.dump: Kamailio answered error 500: Method Not Found (module not loaded)",
      },
      {
        probe: "branches",
        reason: 'cnt.grp_get_all: counters group "<b>x</b>" does not exist (empty reply)',
      },
    ],
  },
);
const render = (node: ReturnType<typeof buildUpNodeSnapshot>) =>
  renderToStaticMarkup(
    createElement(NodeTable, {
      nodes: withAges(buildFleetSnapshot([node], 2000, polledAt), polledAt).nodes,
      elapsedMs: 0,
    }),
  );

describe("overview node table: probes a node cannot serve", () => {
  it("names them under the node, each with Kamailio's reason as escaped text", () => {
    const html = render(up);
    expect(html).toContain('data-testid="node-unavailable"');
    expect(html).toMatch(
      /data-probe="registrations" data-state="unavailable">registrations unavailable: ul\.dump/,
    );
    expect(html).toMatch(
      /data-probe="branches" data-state="unavailable">branches unavailable: cnt\.grp_get_all/,
    );
    expect(html).toContain("counters group &quot;&lt;b&gt;x&lt;/b&gt;&quot; does not exist");
    expect(html).not.toContain("<b>x</b>");
    expect(html).toMatch(/data-testid="node-status"><span[^>]*>up<\/span>/);
  });

  it("shows nothing for a node that serves every probe", () => {
    expect(render({ ...up, unavailable: [] })).not.toContain("node-unavailable");
  });
});
