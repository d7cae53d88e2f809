import { describe, expect, it } from "vitest";
import type { NgPingResult } from "./probes/rtpengine-ng";
import { sessionsVsCalls } from "./sessions-calls";

const ng = (sessions: NgPingResult["sessions"], silent: NgPingResult["silent"] = []): NgPingResult => ({
  answering: sessions.map((s) => s.url),
  silent,
  skipped: [],
  sessions,
});

describe("sessions vs calls", () => {
  it("sums own sessions over the media servers and compares them with answered dialogs", () => {
    const two = ng([
      { url: "udp:a:22222", own: 3, foreign: 5, total: 8 },
      { url: "udp:b:22222", own: 1, foreign: 0, total: 1 },
    ]);
    expect(sessionsVsCalls(two, 3)).toEqual({ sessions: 4, calls: 3, gap: 1, engines: 2 });
    expect(sessionsVsCalls(two, 4)?.gap).toBe(0);
  });

  it("is unknown (null), never 0, when a server is silent, its statistics unreadable, or the calls unknown", () => {
    const ok = { url: "udp:a:22222", own: 2, foreign: 0, total: 2 };
    expect(sessionsVsCalls(ng([ok], [{ url: "udp:b:22222", error: "timeout" }]), 2)).toBeNull();
    expect(
      sessionsVsCalls(ng([ok, { url: "udp:b:22222", error: "sessionsown: expected number" }]), 2),
    ).toBeNull();
    expect(sessionsVsCalls(ng([ok]), null)).toBeNull();
    expect(sessionsVsCalls(ng([]), 0)).toBeNull();
    expect(sessionsVsCalls(undefined, 0)).toBeNull();
  });
});
