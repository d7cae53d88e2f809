import { callDurationSeconds, type Dialog, type DialogStateName } from "@/lib/kamailio/methods/dlg-list";
import type { CallMediaView } from "@/lib/media/media-view";
import { bridgeDirection } from "./bridge-direction";

// The dialogs page's rows: one per live dialog of one node, from dlg.list.

export type DialogRow = {
  node: string;
  /** For dlg.end_dlg. */
  hEntry: number;
  hId: number;
  callId: string;
  fromUri: string;
  toUri: string;
  state: DialogStateName;
  /** Seconds since the answer (dlg-list.ts callDurationSeconds); null before the answer. */
  durationS: number | null;
  /** "wss→udp"…; null while a leg's transport is unknown. */
  direction: string | null;
  /** dlg.list `start_ts` as ISO time; null before the answer. */
  answeredAt: string | null;
  /** RTPEngine's view of the call's media (NG query, lib/media/media-watch.ts); null: not read (yet). */
  media: CallMediaView | null;
};

/**
 * One row per dialog that is not deleted (state 5 dialogs linger in dlg.list after the BYE). `nowS` is the Unix
 * time the list was read, used only where Kamailio does not give `duration` (before 5.6).
 */
export function dialogRows(
  node: string,
  dialogs: readonly Dialog[],
  nowS: number,
  media?: ReadonlyMap<string, CallMediaView>,
): DialogRow[] {
  return dialogs
    .filter((d) => d.state !== "deleted")
    .map((d) => {
      const durationS = callDurationSeconds(d, nowS);
      return {
        node,
        hEntry: d.hEntry,
        hId: d.hId,
        callId: d.callId,
        fromUri: d.fromUri,
        toUri: d.toUri,
        state: d.state,
        durationS,
        direction: bridgeDirection(d),
        answeredAt: durationS === null ? null : new Date(d.startTs * 1000).toISOString(),
        media: media?.get(d.callId) ?? null,
      };
    });
}

/** Early (states 1–2) and confirmed (3–4) counts of the rows. */
export function dialogCounts(rows: readonly DialogRow[]): { early: number; confirmed: number } {
  let early = 0;
  let confirmed = 0;
  for (const row of rows) {
    if (row.state === "unconfirmed" || row.state === "early") early += 1;
    else confirmed += 1;
  }
  return { early, confirmed };
}
