import type { Metadata } from "next";
import { Suspense } from "react";
import { RefreshServerData } from "@/components/live/refresh-server-data";
import { FleetEmptyState } from "@/components/overview/fleet-empty-state";
import { OverviewHistory } from "@/components/overview/overview-history";
import { OverviewLive } from "@/components/overview/overview-live";
import { requirePage } from "@/lib/auth/page";
import { HistoryRangeSchema } from "@/lib/metrics/history-range";
import { getFleetSnapshot } from "@/lib/poller/live";
import { withAges } from "@/lib/poller/snapshot";

export const metadata: Metadata = { title: "Overview · kamdash" };

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<{ range?: string | string[] }>;
}) {
  await requirePage("overview.read");
  const range = HistoryRangeSchema.parse((await searchParams).range);
  const now = new Date();
  return (
    <OverviewLive
      initial={withAges(getFleetSnapshot(now), now)}
      emptyState={<FleetEmptyState surface="overview" />}
    >
      <Suspense fallback={<div className="h-96 animate-pulse rounded-tremor-default bg-tremor-background" />}>
        <OverviewHistory range={range} />
      </Suspense>
      <RefreshServerData everyMs={60_000} />
    </OverviewLive>
  );
}
