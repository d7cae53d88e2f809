import { z } from "zod";

// What one canary run produced (stored as a CanaryRun row) and what the live snapshot carries of it.
// No password, no SDP body, no Call-ID: only outcomes, times and the named SDP checks.

export const canaryOutcomes = [
  "ok",
  /** the caller's REGISTER got no 2xx (reason: "REGISTER 401 Unauthorized") */
  "register_failed",
  /** the second probe user (callee) could not register */
  "callee_register_failed",
  /** the INVITE got a final non-2xx (reason: "INVITE 404 Not Found") */
  "call_failed",
  /** the call was set up but the SDP did not come back converted as the gateway's tables say */
  "sdp_mismatch",
  /** the BYE got no 2xx */
  "bye_failed",
  /** the WebSocket did not open (refused, TLS, HTTP 403 for an Origin) */
  "connect_failed",
  /** the run's overall timeout passed; reason names the phase */
  "timeout",
  "error",
] as const;
export const CanaryOutcomeSchema = z.enum(canaryOutcomes);
export type CanaryOutcome = z.infer<typeof CanaryOutcomeSchema>;

/** Which SDP the check looked at: the offer the callee received, or the answer the caller received. */
export const SdpLegSchema = z.enum(["offer_to_callee", "answer_to_caller"]);
export type SdpLeg = z.infer<typeof SdpLegSchema>;

export const SdpCheckSchema = z.object({
  leg: SdpLegSchema,
  /** e.g. "profile", "media_rewritten", "ice", "fingerprint", "rtcp_mux", "setup", "mid", "codec". */
  name: z.string(),
  ok: z.boolean(),
  /** What the gateway's RTPEngine flags for this bridge direction make of the SDP (gateway/routes-media.cfg). */
  expected: z.string(),
  /** What was seen; null when the line was missing. */
  actual: z.string().nullable(),
});
export type SdpCheck = z.infer<typeof SdpCheckSchema>;

/** CanaryRun.sdpChecks: the bridge direction judged (e.g. "wss_wss") and each check. */
export const SdpChecksSchema = z.object({
  direction: z.string(),
  checks: z.array(SdpCheckSchema),
});
export type SdpChecks = z.infer<typeof SdpChecksSchema>;

export const CanaryResultSchema = z.object({
  /** ISO time the run started. */
  at: z.string(),
  /** What was called: a probe user's AOR or the operator's URI (no credentials). */
  target: z.string(),
  outcome: CanaryOutcomeSchema,
  /** null when ok. */
  reason: z.string().nullable(),
  /** REGISTER sent → 2xx, ms, digest challenge round included; null when not reached or failed. */
  registerMs: z.number().nullable(),
  /** INVITE sent → 200 OK, ms (digest challenge round and the callee's answer included). */
  setupMs: z.number().nullable(),
  /** BYE sent → 2xx, ms. */
  byeMs: z.number().nullable(),
  /** Final status of the failing (or last) SIP transaction; null when none came. */
  sipStatus: z.number().int().nullable(),
  /** null when the call was not set up (nothing to judge). */
  sdpChecks: SdpChecksSchema.nullable(),
});
export type CanaryResult = z.infer<typeof CanaryResultSchema>;

/** The snapshot's `canary` field: last run and the state derived from consecutive runs. */
export const CanaryStateSchema = z.object({
  /** "ok" after a run with outcome ok, "failing" after any other outcome. */
  state: z.enum(["ok", "failing"]),
  /** Runs in a row that did not end ok (0 when the last was ok). */
  consecutiveFailures: z.number().int().min(0),
  /** ISO time the state last changed. */
  since: z.string(),
  /** How often a run starts, ms (KAMDASH_CANARY_INTERVAL_MS), to judge the last run's age. */
  intervalMs: z.number().int().positive(),
  last: CanaryResultSchema,
});
export type CanaryState = z.infer<typeof CanaryStateSchema>;
