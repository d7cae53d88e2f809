import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AlertBanner, type BannerAlert, WALL_MAX_ALERTS } from "@/components/alerts/alert-banner";

const alert = (i: number, severity: BannerAlert["severity"]): BannerAlert => ({
  ruleId: i,
  node: `edge${i}`,
  severity,
  since: "2026-11-30T10:00:00Z",
  message: `edge${i} <b>down</b>`,
});

describe("alert banner", () => {
  it("on the wall lists the most severe alerts and one line for the rest, so it stays on one screen", () => {
    const alerts = [alert(1, "warning"), ...Array.from({ length: 28 }, (_, i) => alert(i + 2, "critical"))];
    const html = renderToStaticMarkup(createElement(AlertBanner, { alerts, now: null, variant: "wall" }));
    expect(html.match(/data-severity=/g)).toHaveLength(WALL_MAX_ALERTS - 1);
    expect(html).toContain("+27 more firing (26 critical, 1 warning)");
    expect(html).not.toContain("<b>down</b>");
  });

  it("on a page lists every alert, and renders nothing when none fires", () => {
    const html = renderToStaticMarkup(
      createElement(AlertBanner, { alerts: [alert(1, "critical"), alert(2, "info")], now: null }),
    );
    expect(html.match(/data-severity=/g)).toHaveLength(2);
    expect(renderToStaticMarkup(createElement(AlertBanner, { alerts: [], now: null }))).toBe("");
  });
});
