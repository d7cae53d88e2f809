import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CanaryRuns, sdpSummary } from "@/components/node/canary-runs";
import type { CanaryRunItem } from "@/lib/metrics/queries/getCanaryRuns";

// The node page's canary table: ages, "—" for what was not reached (never 0), failed SDP checks by name, and SIP
// text (a reason phrase, a target URI) rendered as text.

const hostile = `<img src=x onerror="alert(1)">`;
const now = new Date("2026-11-30T10:10:00.000Z");
const ok: CanaryRunItem = {
  id: "2",
  at: "2026-11-30T10:09:30.000Z",
  target: "sip:kamdash-canary-b@127.0.0.1",
  outcome: "ok",
  reason: null,
  registerMs: 30.6,
  setupMs: 80,
  byeMs: 21.4,
  sipStatus: 200,
  sdpChecks: {
    direction: "wss_wss",
    checks: [
      { leg: "offer_to_callee", name: "ice", ok: true, expected: "x", actual: "y" },
      { leg: "answer_to_caller", name: "ice", ok: true, expected: "x", actual: "y" },
    ],
  },
};
const failed: CanaryRunItem = {
  ...ok,
  id: "1",
  at: "2026-11-30T09:00:00.000Z",
  target: `sip:${hostile}@example.org`,
  outcome: "register_failed",
  reason: `REGISTER 403 ${hostile}`,
  registerMs: null,
  setupMs: null,
  byeMs: null,
  sipStatus: 403,
  sdpChecks: null,
};

describe("CanaryRuns", () => {
  it("shows each run's age, outcome, times, and '—' for phases not reached", () => {
    const html = renderToStaticMarkup(
      createElement(CanaryRuns, { runs: [ok, failed], now, intervalMs: 60_000 }),
    );
    expect(html).toContain("last run 30 s ago");
    expect(html).toContain("31 ms");
    expect(html).toContain("2/2 ok");
    expect(html).toContain("1 h 10 min ago");
    expect(html).not.toContain(">0 ms<");
    expect(html.match(/>—</g)?.length).toBe(4); // register, setup, BYE and SDP of the failed run
  });

  it("marks the last run stale after 3 intervals and says why the table is empty", () => {
    expect(
      renderToStaticMarkup(createElement(CanaryRuns, { runs: [failed], now, intervalMs: 60_000 })),
    ).toContain("· stale");
    expect(renderToStaticMarkup(createElement(CanaryRuns, { runs: [], now }))).toContain("the canary is off");
  });

  it("renders SIP text as text", () => {
    const html = renderToStaticMarkup(createElement(CanaryRuns, { runs: [failed], now }));
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x");
  });

  it("names the failed SDP checks by leg", () => {
    const [offer, answer] = ok.sdpChecks?.checks ?? [];
    if (!offer || !answer) throw new Error("fixture has two checks");
    expect(
      sdpSummary({ sdpChecks: { direction: "wss_wss", checks: [offer, { ...answer, ok: false }] } }),
    ).toBe("answer ice");
  });
});
