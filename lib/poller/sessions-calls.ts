import { z } from "zod";
import type { NgPingResult } from "./probes/rtpengine-ng";

// The seed's third health rule: one RTPEngine session per call. Sessions are what each media server Kamailio lists
// reports over NG `statistics` (sessionsown: calls it handles itself); calls are the node's answered dialogs
// (dlg.stats_active / dlg.list, states 3–4). RTPEngine keeps a session for its delete-delay (30 s by default)
// after a call ends, so a short excess of sessions after hang-ups is expected; a gap held for minutes is a leak
// (sessions > calls) or calls without media (sessions < calls).

export const SessionsVsCallsSchema = z.object({
  /** Own sessions summed over the media servers that answered NG statistics. */
  sessions: z.number().int().nonnegative(),
  /** Answered dialogs on the node. */
  calls: z.number().int().nonnegative(),
  /** sessions − calls. */
  gap: z.number().int(),
  /** Media servers whose sessions are summed. */
  engines: z.number().int().nonnegative(),
});
export type SessionsVsCalls = z.infer<typeof SessionsVsCallsSchema>;

/**
 * sessions vs calls for one cycle, or null when either side is unknown: a server that did not answer NG or whose
 * statistics could not be read (the sum would be short), no server pinged, or no dialog count.
 */
export function sessionsVsCalls(ng: NgPingResult | undefined, calls: number | null): SessionsVsCalls | null {
  if (!ng || calls === null || ng.silent.length > 0 || ng.sessions.length === 0) return null;
  let sessions = 0;
  for (const s of ng.sessions) {
    if ("error" in s) return null;
    sessions += s.own;
  }
  if (ng.sessions.length < ng.answering.length) return null;
  return { sessions, calls, gap: sessions - calls, engines: ng.sessions.length };
}
