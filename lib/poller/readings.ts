import { z } from "zod";

// What makes a number honest, from the probe to the pixel: each probe's own state, and for each headline number
// the state of the probe behind it, why it is missing or old, and when it was measured.

/**
 * A probe's state on one node:
 * - ok: answered this cycle, or on its own (slower) cadence and not due yet;
 * - stale: failing, but its last good values are still shown, with their age;
 * - failing: failing and nothing recent enough to show;
 * - unavailable: not on this node (module not loaded, counters group missing, usrloc keeps contacts in the DB);
 * - starting: Kamailio just restarted and the module says "Initializing - try later".
 */
export const probeStates = ["ok", "stale", "failing", "unavailable", "starting"] as const;
export const ProbeStateSchema = z.enum(probeStates);
export type ProbeState = z.infer<typeof ProbeStateSchema>;

export const ProbeStatusSchema = z.object({
  probe: z.string(),
  state: ProbeStateSchema,
  /** Why it is not ok: Kamailio's error, the reply budget, the missing module. null when ok. */
  reason: z.string().nullable(),
  /** ISO time the probe entered its current state (null when ok since the node was first seen). */
  since: z.string().nullable(),
  /** Consecutive failed attempts; 0 when ok. */
  failures: z.number().int().nonnegative(),
  /** ISO time of the last good reply: the values shown come from then. null when never answered. */
  measuredAt: z.string().nullable(),
  /** ISO time the probe runs next (its cadence, or its back-off while failing). */
  nextAttemptAt: z.string().nullable(),
});
export type ProbeStatus = z.infer<typeof ProbeStatusSchema>;

/** A headline number's state: a probe state, or "rejected" when the value read could not be true. */
export const ReadingStateSchema = z.enum([...probeStates, "rejected"]);
export type ReadingState = z.infer<typeof ReadingStateSchema>;

export const ReadingSchema = z.object({
  state: ReadingStateSchema,
  /** Why the value is null or old; null when it is fresh and measured. */
  reason: z.string().nullable(),
  /** ISO time the value shown was measured (null when there is none). */
  measuredAt: z.string().nullable(),
  /** Where the value comes from, e.g. "core.tcp_list", "stats.fetch usrloc", "ul.db_contacts". */
  source: z.string().nullable(),
});
export type Reading = z.infer<typeof ReadingSchema>;

/** A value Kamailio sent that cannot be true: never published or stored as a number. */
export const RejectionSchema = z.object({
  /** What was read, e.g. "dialog.early_dialogs", "bridge.wss_udp_relayed", "dialogsEarly". */
  field: z.string(),
  /** The value as Kamailio sent it (text: it may not fit a double). */
  value: z.string(),
  /** The rule it broke, in words. */
  rule: z.string(),
});
export type Rejection = z.infer<typeof RejectionSchema>;

/** Kamailio itself: version (core.version) and uptime (core.uptime `uptime`, s). */
export const KamailioInfoSchema = z.object({
  /** "5.6.3", or null before the first answer / when the string carries none. */
  version: z.string().nullable(),
  /** core.version as Kamailio sent it, e.g. "kamailio 5.6.3 (x86_64/linux)". */
  versionText: z.string().nullable(),
  /** core.uptime `uptime` in seconds. */
  uptimeS: z.number().int().nonnegative().nullable(),
  /** ISO time of the last restart kamdash saw (an uptime drop); null when none seen. */
  restartedAt: z.string().nullable(),
});
export type KamailioInfo = z.infer<typeof KamailioInfoSchema>;

export const emptyKamailioInfo: KamailioInfo = {
  version: null,
  versionText: null,
  uptimeS: null,
  restartedAt: null,
};
