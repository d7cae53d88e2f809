// What one handshake attempt found: shared by the probe (server side, lib/handshake/ws-handshake.ts) and the
// snapshot the pages render, so this file imports nothing from Node.

export const handshakeOutcomes = [
  "ok",
  "refused",
  "tls_error",
  "http_error",
  "timeout",
  "sip_error",
  "error",
] as const;
export type HandshakeOutcome = (typeof handshakeOutcomes)[number];

export type HandshakeAttempt = {
  /** ISO time the attempt started. */
  at: string;
  url: string;
  outcome: HandshakeOutcome;
  /** What failed, in words (null when ok). */
  reason: string | null;
  /** Phase durations, ms: TCP connect; TLS handshake (null for ws://); HTTP upgrade; SIP OPTIONS round trip. */
  tcpMs: number | null;
  tlsMs: number | null;
  upgradeMs: number | null;
  optionsMs: number | null;
  /** TCP connect to the end of the upgrade: the handshake a browser waits for, ms (null when it did not finish). */
  handshakeMs: number | null;
  /** HTTP status of the upgrade (101, or the refusal, e.g. 403 for an Origin not allowed). */
  httpStatus: number | null;
  /** SIP status of the OPTIONS reply (200 "Keepalive" from our gateway). */
  sipStatus: number | null;
};
