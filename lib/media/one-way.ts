// One-way audio: a confirmed call where one party has sent no RTP for `silentS` seconds while the other's flows.
// Judged from successive NG query readings of the same call (packets received from each party).

export type PartyPackets = { tag: string; packets: number };
export type MediaReading = { atMs: number; parties: PartyPackets[] };

export type OneWayVerdict =
  | { state: "two_way" }
  | { state: "one_way"; silentTag: string; flowingTag: string; silentForS: number }
  | { state: "no_media"; silentForS: number }
  /** Not enough history yet, or the party set changed (re-INVITE, fork). */
  | { state: "unknown"; reason: string };

/**
 * Keeps the readings of the last `silentS` seconds (plus one older) per call and judges them. `silentS` ≥ 1.
 * A party counts as silent when its packet counter did not move over the whole window; flowing when it moved.
 */
export class OneWayDetector {
  private readonly readings = new Map<string, MediaReading[]>();

  constructor(private readonly silentS: number) {
    if (!(silentS >= 1)) throw new Error("silentS must be at least 1 s");
  }

  /** Adds a reading of `callId` and returns the verdict over the window that ends with it. */
  add(callId: string, reading: MediaReading): OneWayVerdict {
    const windowMs = this.silentS * 1000;
    const list = [...(this.readings.get(callId) ?? []), reading].filter(
      (r) => r.atMs >= reading.atMs - windowMs * 2,
    );
    this.readings.set(callId, list);
    // the newest reading at least silentS old: the window's start
    const start = [...list].reverse().find((r) => r.atMs <= reading.atMs - windowMs);
    if (!start) return { state: "unknown", reason: `less than ${this.silentS} s of readings` };
    const tags = reading.parties.map((p) => p.tag).sort();
    if (
      tags.join() !==
        start.parties
          .map((p) => p.tag)
          .sort()
          .join() ||
      tags.length !== 2
    )
      return { state: "unknown", reason: "the call's parties changed" };
    const spanS = Math.round((reading.atMs - start.atMs) / 1000);
    const moved = reading.parties.map((p) => ({
      tag: p.tag,
      delta: p.packets - (start.parties.find((q) => q.tag === p.tag)?.packets ?? 0),
    }));
    if (moved.some((m) => m.delta < 0)) return { state: "unknown", reason: "packet counters went back" };
    const silent = moved.filter((m) => m.delta === 0);
    if (silent.length === 0) return { state: "two_way" };
    if (silent.length === 2) return { state: "no_media", silentForS: spanS };
    const flowing = moved.find((m) => m.delta > 0);
    return {
      state: "one_way",
      silentTag: silent[0]?.tag ?? "",
      flowingTag: flowing?.tag ?? "",
      silentForS: spanS,
    };
  }

  /** Forgets calls not in `live` (ended). */
  retain(live: ReadonlySet<string>): void {
    for (const callId of this.readings.keys()) if (!live.has(callId)) this.readings.delete(callId);
  }
}
