import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import {
  branchFailureFigure,
  nameList,
  sessionsFigure,
  socketsFigure,
} from "@/components/live/health-figures";
import { HealthTiles, noteLines } from "@/components/wall/health-tile";
import { BranchWindows } from "@/lib/poller/branch-windows";
import type { SessionsVsCalls } from "@/lib/poller/sessions-calls";
import {
  buildDownNodeSnapshot,
  buildFleetSnapshot,
  buildUpNodeSnapshot,
  type NodeMeasurement,
  type NodeSnapshot,
  type OverviewResponse,
  withAges,
} from "@/lib/poller/snapshot";
import type { SocketsVsRegistrations } from "@/lib/poller/sockets-registrations";
import { sampleMeasurement } from "../support/snapshots";

// The wall's health tiles: the seed's rules summed over the fleet, from snapshots as the poller builds them.

const intervalMs = 2000;
const t0 = Date.parse("2026-11-30T10:00:00Z");
const polledAt = new Date(t0);

/**
 * Branch counters ending at t0 that grew from 0 to `relayed` / `failed` in `direction` over `steps` samples
 * 150 s apart (2 steps: the whole 5 min window).
 */
function branches(relayed: number, failed: number, direction = "wss_udp", steps = 2) {
  const w = new BranchWindows();
  for (let i = 0; i <= steps; i++) {
    const share = i / steps;
    const counters = { direction, relayed: Math.round(relayed * share), failed: Math.round(failed * share) };
    w.add(t0 - (steps - i) * 150_000, false, [counters]);
  }
  return w.failure(t0);
}

function up(name: string, overrides: Partial<NodeMeasurement> = {}, at = polledAt): NodeSnapshot {
  return buildUpNodeSnapshot(
    { name, rpcUrl: `http://${name}/RPC`, intervalMs },
    { polledAt: at, durationMs: 3 },
    sampleMeasurement(overrides),
  );
}

function down(name: string): NodeSnapshot {
  return buildDownNodeSnapshot(
    { name, rpcUrl: "http://127.0.0.1:1/RPC", intervalMs },
    { polledAt, durationMs: 3 },
    "core.uptime: connect ECONNREFUSED",
    undefined,
  );
}

const fleet = (...nodes: NodeSnapshot[]): OverviewResponse =>
  withAges(buildFleetSnapshot(nodes, intervalMs, polledAt), polledAt);

const calls = (sessions: number, answered: number): SessionsVsCalls => ({
  sessions,
  calls: answered,
  gap: sessions - answered,
  engines: 1,
});

function sockets(connections: number, without: number, orphans = 0, agoMs = 20_000): SocketsVsRegistrations {
  return {
    measuredAt: new Date(t0 - agoMs).toISOString(),
    connections,
    withRegistration: connections - without,
    withoutRegistration: without,
    shareWithout: connections === 0 ? null : without / connections,
    registrationsWithoutConnection: orphans,
  };
}

describe("branch failures tile", () => {
  it("shows the fleet's worst judged direction over 5 min, toned by the seed's 1 % rule", () => {
    const ok = branchFailureFigure(
      fleet(
        up("edge1", {
          branchFailure: branches(1000, 3),
        }),
      ),
      0,
    );
    expect(ok).toMatchObject({ health: "ok", tone: "ok", display: "0.30 %", value: 0.003 });
    expect(ok.details).toEqual(["wss→udp on edge1", "3 of 1,000 failed in 5 min"]);

    const warning = fleet(
      up("edge1", {
        branchFailure: branches(1000, 3),
      }),
      up("edge2", {
        branchFailure: branches(1000, 6, "udp_wss", 1),
      }),
    );
    expect(branchFailureFigure(warning, 0)).toMatchObject({
      health: "warning",
      tone: "warning",
      display: "0.60 %",
      details: ["udp→wss on edge2", "6 of 1,000 failed in 5 min (2 min measured)"],
    });

    const bad = fleet(
      up("edge1", {
        branchFailure: branches(1000, 10),
      }),
    );
    expect(branchFailureFigure(bad, 0)).toMatchObject({ health: "bad", tone: "bad", display: "1.00 %" });
  });

  it("says too few branches (with the count) instead of a 0 % made of nothing, and — without counters", () => {
    const few = branchFailureFigure(
      fleet(
        up("edge1", {
          branchFailure: branches(12, 0),
        }),
      ),
      0,
    );
    expect(few).toMatchObject({ health: "unknown", tone: "unknown", display: "too few", value: null });
    expect(few.details[0]).toBe("too few branches: 12 in 5 min");
    const none = branchFailureFigure(
      fleet(
        up("edge1", {
          branchFailure: branches(0, 0),
        }),
      ),
      0,
    );
    expect(none.display).toBe("too few");
    expect(none.details[0]).toBe("too few branches: 0 in 5 min");

    const unknown = branchFailureFigure(fleet(up("edge1"), up("edge2")), 0);
    expect(unknown).toMatchObject({ health: "unknown", display: "—", details: ["no branch counters"] });
  });

  it("names the up nodes without counters and turns partial", () => {
    const figure = branchFailureFigure(
      fleet(
        up("edge1", {
          branchFailure: branches(1000, 1),
        }),
        up("edge2"),
      ),
      0,
    );
    expect(figure).toMatchObject({ health: "ok", tone: "partial", missingParts: 1 });
    expect(figure.notes).toEqual(["no branch counters on edge2"]);
  });
});

describe("sessions / calls tile", () => {
  it("sums sessions and answered calls where both are known", () => {
    const figure = sessionsFigure(
      fleet(up("edge1", { sessionsVsCalls: calls(8, 8) }), up("edge2", { sessionsVsCalls: calls(4, 4) })),
      0,
    );
    expect(figure).toMatchObject({ health: "ok", tone: "ok", display: "12 / 12", notes: [] });
  });

  it("warns on any node's gap, naming it, even when the sums agree", () => {
    const one = sessionsFigure(fleet(up("edge1", { sessionsVsCalls: calls(15, 12) })), 0);
    expect(one).toMatchObject({ health: "warning", tone: "warning", display: "15 / 12" });
    expect(one.details).toEqual(["gap +3 on edge1", "15 sessions / 12 calls"]);

    const cancelling = sessionsFigure(
      fleet(up("edge1", { sessionsVsCalls: calls(5, 3) }), up("edge2", { sessionsVsCalls: calls(3, 6) })),
      0,
    );
    expect(cancelling).toMatchObject({ health: "warning", display: "8 / 9" });
    expect(cancelling.details).toEqual(["gaps on 2 nodes", "largest −3 on edge2"]);
  });

  it("names the nodes whose sessions are unknown, and says — when no node knows them", () => {
    const partial = sessionsFigure(
      fleet(up("edge1", { sessionsVsCalls: calls(2, 2) }), up("edge2"), up("edge3")),
      0,
    );
    expect(partial).toMatchObject({ health: "ok", tone: "partial", display: "2 / 2", missingParts: 2 });
    expect(partial.notes).toEqual(["sessions unknown on edge2, edge3"]);

    const unknown = sessionsFigure(fleet(up("edge1"), up("edge2")), 0);
    expect(unknown).toMatchObject({ health: "unknown", tone: "unknown", display: "—", value: null });
    expect(unknown.notes).toEqual(["sessions unknown on edge1, edge2"]);
  });
});

describe("sockets without registration tile", () => {
  it("shows connections without a registration of all, with the share and the oldest ul.dump's age", () => {
    const figure = socketsFigure(
      fleet(
        up("edge1", { socketsVsRegistrations: sockets(100, 2, 0, 12_000) }),
        up("edge2", { socketsVsRegistrations: sockets(20, 1, 0, 28_000) }),
      ),
      500,
    );
    expect(figure).toMatchObject({ health: "ok", tone: "ok", display: "3 of 120", value: 3 });
    expect(figure.details).toEqual(["2.5 % without a registration"]);
    expect(figure).toMatchObject({ ageMs: 28_500, agePrefix: "ul.dump joined" });
  });

  it("warns from 10 % and with registrations whose socket is gone", () => {
    const share = socketsFigure(fleet(up("edge1", { socketsVsRegistrations: sockets(10, 1) })), 0);
    expect(share).toMatchObject({
      health: "warning",
      display: "1 of 10",
      details: ["10 % without a registration"],
    });
    const orphans = socketsFigure(fleet(up("edge1", { socketsVsRegistrations: sockets(50, 0, 2) })), 0);
    expect(orphans).toMatchObject({ health: "warning", tone: "warning" });
    expect(orphans.details).toEqual(["0 % without a registration", "2 registrations without a socket"]);
  });

  it("says — when no ul.dump could be joined", () => {
    expect(socketsFigure(fleet(up("edge1")), 0)).toMatchObject({
      health: "unknown",
      display: "—",
      notes: ["no ul.dump joined on edge1"],
    });
  });
});

describe("down and stale nodes", () => {
  const withDown = fleet(
    up("edge1", {
      branchFailure: branches(1000, 20),
      sessionsVsCalls: calls(4, 4),
      socketsVsRegistrations: sockets(40, 0),
    }),
    down("edge2"),
  );

  it("counts only up nodes and says the down node is not counted, in the down tone", () => {
    for (const figure of [
      branchFailureFigure(withDown, 0),
      sessionsFigure(withDown, 0),
      socketsFigure(withDown, 0),
    ]) {
      expect(figure).toMatchObject({ tone: "down", nodesDown: 1, missingParts: 0 });
      expect(figure.notes).toEqual(["edge2 down: not counted"]);
    }
    expect(branchFailureFigure(withDown, 0)).toMatchObject({ health: "bad", display: "2.00 %" });
    expect(sessionsFigure(withDown, 0).display).toBe("4 / 4");
    const many = fleet(up("edge1"), ...["d1", "d2", "d3"].map(down));
    expect(sessionsFigure(many, 0).notes[0]).toBe("3 of 4 nodes down: not counted");
  });

  it("turns grey when a node's poll is stale, naming it when others are fresh", () => {
    const old = new Date(t0 - 10_000);
    const stale = fleet(up("edge1", { sessionsVsCalls: calls(1, 1) }), up("edge2", {}, old));
    const figure = sessionsFigure(stale, 0);
    expect(figure).toMatchObject({ tone: "stale", stale: true, ageMs: 10_000 });
    expect(figure.notes).toContain("edge2: stale, polled 10 s ago");
  });

  it("keeps the badge's judgement visible in a down tile", () => {
    const html = renderToStaticMarkup(createElement(HealthTiles, { fleet: withDown, elapsedMs: 0 }));
    expect(html).toContain('data-testid="wall-health-badge">BAD · DOWN<');
    expect(html).toContain('data-testid="wall-health-branch-failure" data-tone="down" data-health="bad"');
  });
});

describe("text on the health tiles", () => {
  it("lists at most three node names and at most two lines of notes", () => {
    expect(nameList(["a", "b", "c", "d", "e"])).toBe("a, b, c +2 more");
    expect(noteLines(["one", "two", "three"])).toEqual(["one", "two · three"]);
  });

  it("renders node names as text", () => {
    const hostile = `edge<b>1</b><img src=x onerror="alert(1)">`;
    const nodes = fleet(
      up(hostile, {
        sessionsVsCalls: calls(3, 1),
        branchFailure: branches(100, 5),
      }),
      up("edge<script>2</script>"),
      down("<i>down</i>"),
    );
    const html = renderToStaticMarkup(
      createElement(Fragment, null, createElement(HealthTiles, { fleet: nodes, elapsedMs: 0 })),
    );
    expect(html).not.toContain("<b>1</b>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<i>down</i>");
    expect(html).toContain("gap +2 on edge&lt;b&gt;1&lt;/b&gt;&lt;img src=x onerror=");
    expect(html).toContain("sessions unknown on edge&lt;script&gt;2&lt;/script&gt;");
    expect(html).toContain("&lt;i&gt;down&lt;/i&gt; down: not counted");
  });
});
