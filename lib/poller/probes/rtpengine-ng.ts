import type { RtpengineInstanceStats } from "@/lib/rtpengine/instance-stats";
import type { RtpengineInstance } from "./rtpengine";
import type { NgSessions, Probe, ProbeContext } from "./types";

type Counts = { own: number; foreign: number; total: number };

export type NgPingResult = {
  /** Media servers that answered an NG ping, by Kamailio's URL ("udp:127.0.0.1:22222"). */
  answering: string[];
  /** Media servers that answered neither NG nor (when set) /metrics, with the error. */
  silent: { url: string; error: string }[];
  /**
   * Media servers whose NG did not answer but whose /metrics (metricsUrl override) did: reachable, sessions from
   * /metrics, with the NG error (null when the server has no NG address kamdash can use).
   */
  viaMetrics?: { url: string; ngError: string | null }[];
  /**
   * Current sessions of each answering server (NG `statistics`: sessionsown / sessionsforeign / sessionstotal, or
   * /metrics `rtpengine_sessions{type}` when NG does not answer), or the error when neither could be read (an older
   * reply shape, /metrics missing before mr9.2): sessions unknown, not 0.
   */
  sessions: ((Counts & { url: string; via?: "ng" | "metrics" }) | { url: string; error: string })[];
  /**
   * Per-instance numbers of each server whose sessions were read, from the same source (NG `statistics`, or
   * /metrics when NG does not answer): packet/byte/error rates, MOS, jitter and loss averages, ports used/free.
   * A server whose sessions could not be read has none. Absent where a caller's readers give no stats.
   */
  stats?: ({ url: string } & RtpengineInstanceStats)[];
  /** Media servers kamdash could not ping: no NG address or metrics URL it can use, or disabled by an operator. */
  skipped: string[];
};

/** "udp:host:port" (or "udp:[v6]:port") → "host:port" as the NG client takes it; null for other transports. */
export function ngAddress(url: string): string | null {
  const match = /^udp6?:(.+:\d+)$/.exec(url.trim());
  return match?.[1] ?? null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Reach = Pick<ProbeContext, "ngPing" | "ngSessions" | "metricsSessions">;
type Out = NgPingResult & {
  viaMetrics: NonNullable<NgPingResult["viaMetrics"]>;
  stats: NonNullable<NgPingResult["stats"]>;
};

/** Records what one server's NG statistics or /metrics said: its sessions, and its stats when read. */
function record(out: Out, url: string, via: "ng" | "metrics", reply: Awaited<ReturnType<NgSessions>>): void {
  const { stats, ...counts } = reply;
  out.sessions.push({ url, via, ...counts });
  if (stats) out.stats.push({ url, ...stats });
}

/** NG first (ping, then statistics); /metrics when NG is silent or its statistics unreadable and a URL is set. */
async function reachOne(
  url: string,
  address: string | null,
  metricsUrl: string | null,
  { ngPing, ngSessions, metricsSessions }: Reach,
  out: Out,
): Promise<void> {
  const fromMetrics = metricsUrl && metricsSessions ? () => metricsSessions(metricsUrl) : null;
  let ngError: string | null = null;
  if (address !== null && ngPing) {
    try {
      await ngPing(address);
      out.answering.push(url);
    } catch (error) {
      ngError = message(error);
    }
  }
  if (ngError === null && out.answering.includes(url)) {
    if (!ngSessions) return;
    try {
      record(out, url, "ng", await ngSessions(address as string));
    } catch (error) {
      const statsError = `NG statistics: ${message(error)}`;
      if (!fromMetrics) return void out.sessions.push({ url, error: statsError });
      await fromMetrics().then(
        (reply) => record(out, url, "metrics", reply),
        (e: unknown) => out.sessions.push({ url, error: `${statsError}; /metrics: ${message(e)}` }),
      );
    }
    return;
  }
  if (fromMetrics) {
    try {
      const reply = await fromMetrics();
      out.viaMetrics.push({ url, ngError });
      record(out, url, "metrics", reply);
    } catch (error) {
      const parts = [ngError === null ? null : `NG: ${ngError}`, `/metrics: ${message(error)}`];
      out.silent.push({ url, error: parts.filter(Boolean).join("; ") });
    }
    return;
  }
  out.silent.push({ url, error: ngError ?? "no NG address" });
}

/**
 * NG `ping` (and `statistics`) to every media server Kamailio lists (rtpengine probe, same cycle), at the address
 * the node's override gives for that URL (admin setting `rtpengineAddresses`), else at the URL as listed. A server
 * with a `metricsUrl` override whose NG does not answer is read over HTTP /metrics instead ("whichever answers").
 * Kamailio's rtpengine.show only says what Kamailio last saw: it marks an engine unreachable only when a call
 * fails on it, so a stopped RTPEngine still reads "up" there. A server that answers neither makes this probe
 * failing (`problem`: its URL and the errors) while the answers of the others still count; the node stays up.
 * Servers disabled by an operator are not pinged. Never throws for one server's bad reply.
 */
export const rtpengineNgProbe: Probe<NgPingResult & { problem: string | null }> = {
  name: "rtpengine-ng",
  cadence: "cycle",
  async collect(ctx) {
    const engines = ctx.earlier.get("rtpengine") as RtpengineInstance[] | undefined;
    const out = {
      answering: [] as string[],
      silent: [] as NgPingResult["silent"],
      viaMetrics: [] as NonNullable<NgPingResult["viaMetrics"]>,
      skipped: [] as string[],
      sessions: [] as NgPingResult["sessions"],
      stats: [] as NonNullable<NgPingResult["stats"]>,
    };
    if (!ctx.ngPing || !engines) return { ...out, problem: null };
    for (const engine of engines) {
      const override = ctx.rtpengineAddresses?.[engine.url];
      const address = ngAddress(override?.ng ?? engine.url);
      const metricsUrl = override?.metricsUrl ?? null;
      if ((address === null && metricsUrl === null) || engine.state === "disabled") {
        out.skipped.push(engine.url);
        continue;
      }
      await reachOne(engine.url, address, metricsUrl, ctx, out);
    }
    const problem =
      out.silent.length === 0
        ? null
        : `no NG pong from ${out.silent.map((s) => `${s.url} (${s.error})`).join("; ")}`;
    return { ...out, problem };
  },
};

/**
 * One server's per-instance stats for the snapshot (`fresh`: the NG probe ran this cycle), or null with why:
 * disabled (not pinged), silent, statistics unreadable, or the probe backing off. `{}` (no fields) when the probe
 * did not reach for this server at all (no NG ping configured, e.g. KAMDASH_RTPENGINE_PING=off or a replay).
 */
export function instanceStatsOf(
  ng: NgPingResult,
  url: string,
  fresh: boolean,
): { stats?: RtpengineInstanceStats | null; statsReason?: string | null } {
  const unknown = (statsReason: string) => ({ stats: null, statsReason });
  const silent = ng.silent.find((s) => s.url === url);
  const failed = ng.sessions.find((s) => s.url === url && "error" in s);
  const found = ng.stats?.find((s) => s.url === url);
  const skipped = ng.skipped.includes(url);
  if (!found && !silent && !failed && !skipped && !ng.answering.includes(url)) return {};
  if (!fresh) return unknown("the NG probe did not run this cycle (backing off after a failure)");
  if (found) {
    const { url: _url, ...stats } = found;
    return { stats, statsReason: null };
  }
  if (skipped) return unknown("not pinged (disabled, or no NG address or metrics URL to use)");
  if (silent) return unknown(`no answer: ${silent.error}`);
  if (failed && "error" in failed) return unknown(failed.error);
  return unknown("statistics not read");
}
