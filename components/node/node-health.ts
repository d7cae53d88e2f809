import { branchRateView, branchWindow, formatRate } from "@/components/live/branch-rate";
import { formatAge, formatCount, timeAgeMs } from "@/components/live/fleet-view";
import { handshakeHealth } from "@/components/live/handshake-figure";
import type { OverviewNode } from "@/lib/poller/snapshot";

// The seed's four health numbers of one node, as text for the node page's header: each with what it is made of
// and, when there is no number, why (never a 0 for "don't know"). Plain strings: rendered as React text.

export type NodeHealthTone = "ok" | "warning" | "bad" | "unknown";
export type NodeHealthItem = {
  id: string;
  label: string;
  value: string;
  tone: NodeHealthTone;
  detail: string;
};

const down = (id: string, label: string): NodeHealthItem => ({
  id,
  label,
  value: "—",
  tone: "unknown",
  detail: "node down",
});

/** Branch failures (5 min), handshake p95 (5 min), sessions / calls, sockets without registration. */
export function nodeHealthItems(node: OverviewNode, elapsedMs: number): NodeHealthItem[] {
  if (!node.up) {
    return [
      down("branch-failure", "Branch failures · 5 min"),
      down("handshake", "Handshake p95 · 5 min"),
      down("sessions", "Sessions / calls"),
      down("sockets", "Sockets without registration"),
    ];
  }
  return [branchItem(node), handshakeItem(node), sessionsItem(node), socketsItem(node, elapsedMs)];
}

function branchItem(node: OverviewNode): NodeHealthItem {
  const view = branchRateView(branchWindow(node, "5m"));
  return {
    id: "branch-failure",
    label: "Branch failures · 5 min",
    value: view.text,
    tone: view.tone,
    detail: view.detail,
  };
}

function handshakeItem(node: OverviewNode): NodeHealthItem {
  const label = "Handshake p95 · 5 min";
  const summary = node.handshake;
  if (!summary)
    return { id: "handshake", label, value: "—", tone: "unknown", detail: "no handshake probe on this node" };
  const w = summary.windows.find((x) => x.window === "5m");
  const failures = w ? w.attempts - w.ok : 0;
  const last = summary.last;
  const lastText =
    last.outcome === "ok"
      ? `last ok ${formatCount(last.handshakeMs)} ms`
      : `last ${last.outcome}: ${last.reason ?? ""}`;
  if (!w || w.p95Ms === null) {
    return {
      id: "handshake",
      label,
      value: "—",
      tone: failures > 0 ? "bad" : "unknown",
      detail: `no successful attempt in 5 min (${failures} failed); ${lastText}`,
    };
  }
  // the wall's rule (handshake-figure.ts): bad over 500 ms, warning from 400 ms or with failed attempts
  const health = handshakeHealth(w.p95Ms);
  const tone: NodeHealthTone = health === "ok" && failures > 0 ? "warning" : health;
  return {
    id: "handshake",
    label,
    value: `${formatCount(w.p95Ms)} ms`,
    tone,
    detail: `p50 ${formatCount(w.p50Ms)} ms, max ${formatCount(w.maxMs)} ms, ${w.ok} ok of ${w.attempts}; ${lastText}`,
  };
}

function sessionsItem(node: OverviewNode): NodeHealthItem {
  const s = node.sessionsVsCalls;
  if (!s) {
    return {
      id: "sessions",
      label: "Sessions / calls",
      value: "—",
      tone: "unknown",
      detail: "RTPEngine sessions or answered calls unknown",
    };
  }
  return {
    id: "sessions",
    label: "Sessions / calls",
    value: `${formatCount(s.sessions)} / ${formatCount(s.calls)}`,
    tone: s.gap === 0 ? "ok" : "warning",
    detail: `${s.gap === 0 ? "no gap" : `gap ${s.gap > 0 ? "+" : "−"}${Math.abs(s.gap)}`} · ${s.engines} RTPEngine instance${s.engines === 1 ? "" : "s"}`,
  };
}

function socketsItem(node: OverviewNode, elapsedMs: number): NodeHealthItem {
  const s = node.socketsVsRegistrations;
  const label = "Sockets without registration";
  if (!s)
    return {
      id: "sockets",
      label,
      value: "—",
      tone: "unknown",
      detail: "no ul.dump joined with the connections",
    };
  const share =
    s.shareWithout === null ? "no WS/WSS connections" : `${formatRate(s.shareWithout)} of connections`;
  const orphans =
    s.registrationsWithoutConnection > 0
      ? `, ${s.registrationsWithoutConnection} registrations without a socket`
      : "";
  return {
    id: "sockets",
    label,
    value: `${formatCount(s.withoutRegistration)} of ${formatCount(s.connections)}`,
    tone: (s.shareWithout ?? 0) >= 0.1 || s.registrationsWithoutConnection > 0 ? "warning" : "ok",
    detail: `${share}${orphans} · ul.dump joined ${formatAge(timeAgeMs(node, s.measuredAt, elapsedMs))} ago`,
  };
}
