import type { RtpengineInstance } from "./rtpengine";
import type { Probe } from "./types";

export type NgPingResult = {
  /** Media servers that answered an NG ping, by Kamailio's URL ("udp:127.0.0.1:22222"). */
  answering: string[];
  /** Media servers that did not answer, with the error. */
  silent: { url: string; error: string }[];
  /**
   * Current sessions of each answering server (NG `statistics`: sessionsown / sessionsforeign / sessionstotal),
   * or the error when its statistics could not be read (an older reply shape): sessions unknown, not 0.
   */
  sessions: ({ url: string; own: number; foreign: number; total: number } | { url: string; error: string })[];
  /** Media servers kamdash could not ping: not over UDP, or disabled by an operator. */
  skipped: string[];
};

/** "udp:host:port" (or "udp:[v6]:port") → "host:port" as the NG client takes it; null for other transports. */
export function ngAddress(url: string): string | null {
  const match = /^udp6?:(.+:\d+)$/.exec(url.trim());
  return match?.[1] ?? null;
}

/**
 * NG `ping` to every media server Kamailio lists (rtpengine probe, same cycle). Kamailio's rtpengine.show only
 * says what Kamailio last saw: it marks an engine unreachable only when a call fails on it, so a stopped RTPEngine
 * still reads "up" there. A server that does not answer makes this probe failing (`problem`: its URL and the
 * error) while the answers of the others still count; the node stays up. Servers disabled by an operator are not
 * pinged.
 */
export const rtpengineNgProbe: Probe<NgPingResult & { problem: string | null }> = {
  name: "rtpengine-ng",
  cadence: "cycle",
  async collect({ ngPing, ngSessions, earlier }) {
    const engines = earlier.get("rtpengine") as RtpengineInstance[] | undefined;
    if (!ngPing || !engines) return { answering: [], silent: [], skipped: [], sessions: [], problem: null };
    const sessions: NgPingResult["sessions"] = [];
    const answering: string[] = [];
    const skipped: string[] = [];
    const silent: NgPingResult["silent"] = [];
    for (const engine of engines) {
      const address = ngAddress(engine.url);
      if (address === null || engine.state === "disabled") {
        skipped.push(engine.url);
        continue;
      }
      try {
        await ngPing(address);
        answering.push(engine.url);
        if (ngSessions) {
          sessions.push(
            await ngSessions(address).then(
              (counts) => ({ url: engine.url, ...counts }),
              (error: unknown) => ({
                url: engine.url,
                error: error instanceof Error ? error.message : String(error),
              }),
            ),
          );
        }
      } catch (error) {
        silent.push({ url: engine.url, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const problem =
      silent.length === 0 ? null : `no NG pong from ${silent.map((s) => `${s.url} (${s.error})`).join("; ")}`;
    return { answering, silent, skipped, sessions, problem };
  },
};
