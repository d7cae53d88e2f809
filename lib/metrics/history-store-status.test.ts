import { describe, expect, it } from "vitest";
import { type HistoryStoreStatus, HistoryStoreStatusSchema, historyStoreLine } from "./history-store-status";

const ok: HistoryStoreStatus = {
  state: "ok",
  unavailableSince: null,
  lastError: null,
  bufferedSamples: 0,
  bufferedRows: 0,
  bufferMax: 10_000,
  droppedSamples: 0,
  droppedFrom: null,
  droppedTo: null,
};

describe("history store line", () => {
  it("says nothing while the store takes writes", () => {
    expect(historyStoreLine(ok)).toBeNull();
    expect(historyStoreLine(null)).toBeNull();
  });

  it("says since when, how many samples wait, and how many were dropped", () => {
    const down = HistoryStoreStatusSchema.parse({
      ...ok,
      state: "unavailable",
      unavailableSince: "2026-12-01T03:10:05.123Z",
      lastError: "connect ECONNREFUSED 127.0.0.1:5432",
      bufferedSamples: 42,
    });
    expect(historyStoreLine(down)).toBe(
      "History store unavailable since 2026-12-01 03:10:05 UTC: 42 samples buffered in memory. " +
        "Live numbers go on; charts and events miss this spell until it returns.",
    );
    expect(historyStoreLine({ ...down, bufferedSamples: 10, bufferMax: 10, droppedSamples: 7 })).toContain(
      "10 samples buffered in memory; 7 oldest dropped (buffer holds 10).",
    );
  });
});
