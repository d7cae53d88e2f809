"use client";

import { Card, Title } from "@tremor/react";
import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/live/connection-status";
import { DataAge } from "@/components/live/data-age";
import { cycleKey, elapsedSince, isStale, pollAgeMs } from "@/components/live/fleet-view";
import { HistoryStoreLine } from "@/components/live/history-store-line";
import { useLiveFleet } from "@/components/live/use-live-fleet";
import type { OverviewResponse } from "@/lib/poller/snapshot";
import { FleetTotals } from "./fleet-totals";
import { NodeTable } from "./node-table";

/**
 * The live part of the overview: totals and the node table follow the stream; `children` (the chart) do not.
 * While the snapshot has no node, `emptyState` replaces all of them (no fleet, so no "0").
 */
export function OverviewLive({
  initial,
  children,
  emptyState,
}: {
  initial: OverviewResponse;
  children?: ReactNode;
  emptyState?: ReactNode;
}) {
  const { received, status, now } = useLiveFleet(initial);
  const { fleet } = received;
  const elapsedMs = elapsedSince(received.receivedAt, now);
  const ages = fleet.nodes.map((n) => pollAgeMs(n, elapsedMs));
  const oldestAgeMs = ages.length === 0 ? null : Math.max(...ages);
  const stale = oldestAgeMs !== null && isStale(oldestAgeMs, fleet.intervalMs);

  return (
    <div className="space-y-6" data-testid="overview">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold text-tremor-content-strong">Overview</h1>
        <div className="flex items-center gap-6 text-sm text-tremor-content">
          <ConnectionStatus status={status} />
          <DataAge ageMs={oldestAgeMs} stale={stale} className={stale ? "font-semibold text-gray-500" : ""} />
        </div>
      </div>
      <HistoryStoreLine status={fleet.historyStore} />
      {fleet.nodes.length === 0 && emptyState !== undefined ? (
        emptyState
      ) : (
        <>
          <div
            className={stale ? "opacity-50 grayscale" : undefined}
            data-testid="overview-totals"
            data-cycle={cycleKey(fleet)}
          >
            <FleetTotals totals={fleet.totals} />
          </div>
          <Card>
            <Title>Nodes</Title>
            <div className="mt-4">
              <NodeTable nodes={fleet.nodes} elapsedMs={elapsedMs} />
            </div>
          </Card>
          {children}
        </>
      )}
    </div>
  );
}
