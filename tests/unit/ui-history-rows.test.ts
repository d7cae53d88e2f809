import { describe, expect, it } from "vitest";
import { fleetHistoryPoints } from "@/components/overview/history-rows";
import type { OverviewHistory } from "@/lib/metrics/queries/getOverviewHistory";

const minute = 60_000;
const from = "2025-01-01T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(from) + minutes * minute).toISOString();
const avg = (value: number) => ({ avg: value, max: value });

describe("fleetHistoryPoints", () => {
  it("has one point per bucket, sums nodes, and leaves buckets without data as gaps (null, not 0)", () => {
    const history: OverviewHistory = {
      from,
      to: at(3),
      bucketMs: minute,
      nodes: [
        {
          name: "a",
          points: [
            { at: at(0), up: true, ws: avg(2), wss: avg(1), registrations: avg(3), dialogsActive: avg(0) },
            { at: at(2), up: false, ws: null, wss: null, registrations: null, dialogsActive: null },
          ],
        },
        {
          name: "b",
          points: [
            { at: at(0), up: true, ws: avg(5), wss: avg(0.5), registrations: avg(1), dialogsActive: avg(2) },
          ],
        },
      ],
    };
    const points = fleetHistoryPoints(history);
    expect(points.map((p) => p.at)).toEqual([at(0), at(1), at(2), at(3)]);
    expect(points[0]).toEqual({ at: at(0), WS: 7, WSS: 1.5, Registrations: 4, Dialogs: 2 });
    expect(points[1]).toEqual({ at: at(1), WS: null, WSS: null, Registrations: null, Dialogs: null });
    expect(points[2]).toEqual({ at: at(2), WS: null, WSS: null, Registrations: null, Dialogs: null });
  });
});
