// The seed's health numbers as the poll cycle computes them, through the real RPC client against the replay
// server: branch-failure rates from the bridge counters, media servers between NG attempts, level statistics.
import { describe, expect, it } from "vitest";
import { replayNodePerTest } from "../support/poll-replay";

const start = replayNodePerTest();

describe("branch-failure rates", () => {
  it("come from the bridge counters' deltas between cycles, per direction and window", async () => {
    const counters = (relayed: number, failed: number) => ({
      body: JSON.stringify({
        jsonrpc: "2.0",
        result: { wss_udp_relayed: relayed, wss_udp_failed: failed, udp_wss_relayed: 7, udp_wss_failed: 0 },
        id: 1,
      }),
    });
    const n = await start({ "cnt.grp_get_all bridge": [counters(100, 1), counters(140, 2)] });
    expect((await n.poll()).snapshot.branchFailure?.windows[0]?.total).toMatchObject({
      relayed: 0,
      verdict: "too_few",
    });
    const { snapshot } = await n.poll();
    const minute = snapshot.branchFailure?.windows.find((w) => w.window === "1m");
    expect(minute).toMatchObject({
      coveredS: 2,
      total: { relayed: 40, failed: 1, rate: 0.025, verdict: "judged" },
      directions: [{ direction: "wss_udp", relayed: 40, failed: 1, rate: 0.025, verdict: "judged" }],
      worst: { direction: "wss_udp", rate: 0.025 },
    });
  });
});

describe("media servers and levels between attempts", () => {
  it("a silent RTPEngine stays not up while its NG probe backs off (last NG answer, reading stale), then recovers", async () => {
    let answering = false;
    const ngPing = async () => {
      if (!answering) throw new Error("no reply within 1000 ms");
    };
    const seen: { up: number | null; state: string | undefined; asked: boolean }[] = [];
    let pings = 0;
    const counted = async () => {
      pings += 1;
      await ngPing();
    };
    const m = await start({}, { ngPing: counted, backoffMaxMs: 60_000 });
    for (let i = 0; i < 8; i++) {
      const before = pings;
      const { snapshot, row } = await m.poll();
      seen.push({
        up: snapshot.rtpengineUp,
        state: snapshot.readings?.rtpengineUp.state,
        asked: pings > before,
      });
      expect(snapshot.rtpengineUp, `cycle ${i}`).toBe(0);
      if (pings === before) expect(row.rtpengineUp, `cycle ${i}: not stored again`).toBeNull();
    }
    expect(seen.some((s) => !s.asked)).toBe(true); // it did back off
    expect(seen.filter((s) => !s.asked).every((s) => s.state === "stale")).toBe(true);
    answering = true;
    let last = await m.poll();
    for (let i = 0; i < 10 && last.snapshot.rtpengineUp !== 1; i++) last = await m.poll();
    expect(last.snapshot).toMatchObject({ rtpengineUp: 1 });
    expect(last.snapshot.readings?.rtpengineUp.state).toBe("ok");
  });

  it("a current-connections statistic that goes down is a level, not a counter going back", async () => {
    const stats = (current: number) => ({
      body: JSON.stringify({
        jsonrpc: "2.0",
        result: {
          "websocket.ws_sip_current_connections": String(current),
          "websocket.ws_successful_handshakes": "10",
        },
        id: 1,
      }),
    });
    const n = await start({ "stats.fetch websocket: dialog: tmx:": [stats(6), stats(0)] });
    await n.poll();
    const { snapshot } = await n.poll();
    expect(snapshot.rejected).toEqual([]);
    expect(snapshot.stats?.["websocket.ws_sip_current_connections"]).toBe(0);
  });
});
