import type { HandshakeAttempt } from "@/lib/handshake/attempt";
import type { Db } from "./db";

/**
 * Writes one handshake attempt (lib/handshake/attempt.ts: outcome, reason, phase durations in ms, HTTP/SIP status)
 * as a HandshakeAttempt row of the node, timed by the attempt's start (`at`). The rollups' handshake columns and
 * the node page's latency chart are computed from these rows. Throws what Prisma throws (the poller reports it).
 */
export async function writeHandshakeAttempt(
  db: Db,
  nodeId: number,
  attempt: HandshakeAttempt,
): Promise<void> {
  await db.handshakeAttempt.create({
    data: {
      nodeId,
      at: new Date(attempt.at),
      url: attempt.url,
      outcome: attempt.outcome,
      reason: attempt.reason,
      tcpMs: attempt.tcpMs,
      tlsMs: attempt.tlsMs,
      upgradeMs: attempt.upgradeMs,
      optionsMs: attempt.optionsMs,
      handshakeMs: attempt.handshakeMs,
      httpStatus: attempt.httpStatus,
      sipStatus: attempt.sipStatus,
    },
  });
}
