"use client";

import type { ReactNode } from "react";
import { AlertBanner } from "@/components/alerts/alert-banner";
import { ConnectionStatus } from "@/components/live/connection-status";
import { cycleKey, elapsedSince, fleetFigure } from "@/components/live/fleet-view";
import { HistoryStoreLine } from "@/components/live/history-store-line";
import { useLiveFleet } from "@/components/live/use-live-fleet";
import type { SparklineKey, SparkPoint } from "@/lib/metrics/queries/getHealthSparklines";
import type { OverviewResponse } from "@/lib/poller/snapshot";
import { HealthTiles } from "./health-tile";
import { NodeStrip } from "./node-strip";
import { WallClock } from "./wall-clock";
import { WallTile } from "./wall-tile";

/**
 * The NOC wall: five big fleet tiles, a row of the seed's health numbers and a node strip, following the live
 * stream without reloading.
 */
/** The plain fleet counts, in wall order: WS and WSS connections (ws.dump), registrations (usrloc). */
const COUNT_TILES = [
  ["ws", "WS connections"],
  ["wss", "WSS connections"],
  ["registrations", "Registrations"],
] as const;

export function WallLive({
  initial,
  sparklines = null,
  emptyState,
}: {
  initial: OverviewResponse;
  /** The last hour of the health numbers from PostgreSQL (re-read by the page's refresh); null without it. */
  sparklines?: Record<SparklineKey, SparkPoint[]> | null;
  /** Shown instead of the tiles while the snapshot has no node (no fleet, so no "0"). */
  emptyState?: ReactNode;
}) {
  const { received, status, now } = useLiveFleet(initial);
  const { fleet } = received;
  const elapsedMs = elapsedSince(received.receivedAt, now);
  const nodesTotal = fleet.nodes.length;
  const nodesDown = fleet.nodes.filter((n) => !n.up).length;
  const figure = (key: Parameters<typeof fleetFigure>[1]) => fleetFigure(fleet, key, elapsedMs);

  const dialogs = figure("dialogsActive");
  const early = figure("dialogsEarly");
  const rtpUp = figure("rtpengineUp");
  const rtpTotal = figure("rtpengineTotal");
  // an RTPEngine that is down is as red as a node that is down
  // (only when both counts are known: a missing count is not an instance down)
  const rtpCounted = rtpUp.tone === "ok" || rtpUp.tone === "partial";
  const rtpDown = rtpUp.value !== null && rtpTotal.value !== null && rtpUp.value < rtpTotal.value;
  const rtpTone = rtpCounted && rtpDown ? "down" : rtpUp.tone;

  return (
    <main
      className="flex h-screen flex-col gap-5 overflow-hidden p-6"
      data-testid="wall"
      data-cycle={cycleKey(fleet)}
    >
      <header className="flex items-center justify-between text-slate-300">
        <h1 className="text-4xl font-bold tracking-tight text-slate-100">kamdash · NOC wall</h1>
        <div className="flex items-center gap-8">
          <span className="text-3xl" data-testid="wall-fleet-summary">
            {nodesTotal === 0 ? "no node" : `${nodesTotal} node${nodesTotal === 1 ? "" : "s"}`}
            {nodesDown > 0 ? <span className="font-semibold text-red-400"> · {nodesDown} down</span> : null}
          </span>
          <ConnectionStatus status={status} className="text-3xl" />
          <WallClock now={now} />
        </div>
      </header>
      <AlertBanner alerts={fleet.alerts ?? []} now={now} variant="wall" />
      <HistoryStoreLine status={fleet.historyStore} variant="wall" />
      {nodesTotal === 0 && emptyState !== undefined ? (
        <div className="min-h-0 flex-1 overflow-auto">{emptyState}</div>
      ) : (
        <>
          <div className="grid min-h-0 flex-1 grid-cols-[repeat(20,minmax(0,1fr))] grid-rows-[5fr_6fr] gap-5">
            {COUNT_TILES.map(([id, label]) => (
              <WallTile
                key={id}
                className="col-span-4"
                id={id}
                label={label}
                figure={figure(id)}
                nodesTotal={nodesTotal}
              />
            ))}
            <WallTile
              className="col-span-4"
              id="dialogs"
              label="Dialogs"
              figure={dialogs}
              detail={`${early.value ?? "—"} early (ringing)`}
              nodesTotal={nodesTotal}
            />
            <WallTile
              className="col-span-4"
              id="rtpengine"
              label="RTPEngine up"
              figure={{ ...rtpUp, tone: rtpTone }}
              display={rtpUp.value === null ? "—" : `${rtpUp.value} / ${rtpTotal.value ?? "—"}`}
              detail={
                rtpTone === "down" && rtpUp.nodesDown === 0 ? "an RTPEngine instance is down" : undefined
              }
              nodesTotal={nodesTotal}
            />
            <HealthTiles fleet={fleet} elapsedMs={elapsedMs} sparklines={sparklines} />
          </div>
          <NodeStrip nodes={fleet.nodes} elapsedMs={elapsedMs} />
        </>
      )}
    </main>
  );
}
