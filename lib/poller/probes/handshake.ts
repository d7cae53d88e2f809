import { type HandshakeAttempt, probeHandshake } from "@/lib/handshake/ws-handshake";
import { type Probe, ProbeUnavailableError } from "./types";

/**
 * An active WebSocket handshake against the node's WS/WSS listener (TCP, TLS, HTTP upgrade with an Origin, SIP
 * OPTIONS), on its own cadence (KAMDASH_HANDSHAKE_INTERVAL_MS). A failed attempt (refused, TLS error, 403 for the
 * Origin, timeout) is a measurement with its reason: the probe reads failing with it, the node stays up.
 */
export const handshakeProbe: Probe<HandshakeAttempt & { problem: string | null }> = {
  name: "handshake",
  cadence: "handshake",
  async collect({ handshake }) {
    if (!handshake) {
      throw new ProbeUnavailableError("handshake: no WS/WSS URL set for this node (KAMDASH_HANDSHAKE)");
    }
    const attempt = await probeHandshake(handshake);
    return {
      ...attempt,
      problem:
        attempt.outcome === "ok"
          ? null
          : `${attempt.outcome}: ${attempt.reason ?? "failed"} (${attempt.url})`,
    };
  },
};
