import type { OverviewResponse } from "@/lib/poller/snapshot";
import { figure, fleetOf, type HealthFigure, type HealthTone, nameList } from "./health-figures";

// The seed's second rule on the wall: WebSocket handshake latency under 500 ms, from the handshake probe's 5-minute
// window (TCP connect to the end of the HTTP upgrade, p95 over the attempts that succeeded) on each up node.

/** The seed's limit, ms. */
export const HANDSHAKE_BAD_MS = 500;
/** Near the limit: the tile warns from here, ms. */
export const HANDSHAKE_WARNING_MS = 400;

export function handshakeHealth(p95Ms: number): HealthTone {
  return p95Ms > HANDSHAKE_BAD_MS ? "bad" : p95Ms >= HANDSHAKE_WARNING_MS ? "warning" : "ok";
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/**
 * The worst handshake p95 over 5 min among the up nodes that probe ("143 ms", node named), toned by the seed's
 * 500 ms rule; a warning too when attempts failed in the window (by reason). "—" when no up node has a handshake
 * target or a successful attempt in the window: never 0 ms made of nothing.
 */
export function handshakeFigure(fleet: OverviewResponse, elapsedMs: number): HealthFigure {
  const f = fleetOf(fleet, elapsedMs);
  const windows = f.up.map((node) => ({
    node,
    w: node.handshake?.windows.find((x) => x.window === "5m") ?? null,
  }));
  const unprobed = windows.filter((x) => x.w === null).map((x) => x.node.name);
  const notes = unprobed.length > 0 ? [`no handshake probe on ${nameList(unprobed)}`] : [];
  const judged = windows.flatMap(({ node, w }) => (w && w.p95Ms !== null ? [{ node, w, p95: w.p95Ms }] : []));
  const failures = windows.flatMap(({ node, w }) =>
    w ? Object.entries(w.failures).map(([reason, n]) => ({ node, reason, n })) : [],
  );
  const failed = failures.reduce((n, x) => n + x.n, 0);
  const failureLine =
    failed > 0
      ? [
          `${failed} failed (${[...new Set(failures.map((x) => `${x.reason} on ${x.node.name}`))].slice(0, 2).join(", ")})`,
        ]
      : [];
  if (judged.length === 0) {
    return figure(f, {
      health: failed > 0 ? "bad" : "unknown",
      display: "—",
      value: null,
      details: failed > 0 ? failureLine : ["no successful handshake in 5 min"],
      notes,
      missingParts: unprobed.length,
    });
  }
  let worst = judged[0];
  for (const j of judged) if (worst && j.p95 > worst.p95) worst = j;
  const health = handshakeHealth(worst?.p95 ?? 0);
  return figure(f, {
    health: health === "ok" && failed > 0 ? "warning" : health,
    display: ms(worst?.p95 ?? 0),
    value: worst?.p95 ?? null,
    details: [`p95 over 5 min on ${worst?.node.name ?? ""} (limit 500 ms)`, ...failureLine],
    notes,
    missingParts: unprobed.length,
  });
}
