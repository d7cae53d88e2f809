import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { RefreshServerData } from "@/components/live/refresh-server-data";
import { CanaryRuns } from "@/components/node/canary-runs";
import { MediaServers } from "@/components/node/media-servers";
import { NodeHeader } from "@/components/node/node-header";
import { NodeHistorySection } from "@/components/node/node-history";
import { can } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { HistoryRangeSchema } from "@/lib/metrics/history-range";
import { getCanaryRuns } from "@/lib/metrics/queries/getCanaryRuns";
import { getNodeByName } from "@/lib/metrics/queries/getNodeByName";
import { nodeNameSchema } from "@/lib/nodes/node-spec";
import { getFleetSnapshot, getNodeSnapshot } from "@/lib/poller/live";
import { withAges } from "@/lib/poller/snapshot";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ range?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `${safeDecode(name)} · kamdash` };
}

/** Next hands the segment over percent-encoded or not, depending on the characters; names are plain either way. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** /nodes/{name}?range=1h|24h|7d|30d: one node's live header and its history charts; 404 for an unknown node. */
export default async function NodePage({ params, searchParams }: Props) {
  const actor = await requirePage("overview.read");
  // a name that no node can have (nodeNameSchema) is as unknown as a name no node has
  const name = nodeNameSchema.safeParse(safeDecode((await params).name));
  const range = HistoryRangeSchema.parse((await searchParams).range);
  const node = name.success ? await getNodeByName(await getDb(), name.data) : null;
  if (!node) notFound();
  const now = new Date();
  return (
    <div className="space-y-6" data-testid="node-page">
      <NodeHeader name={node.name} initial={withAges(getFleetSnapshot(now), now)} />
      <Suspense fallback={<div className="h-96 animate-pulse rounded-tremor-default bg-tremor-background" />}>
        <NodeHistorySection name={node.name} range={range} />
      </Suspense>
      <MediaServers
        node={node.name}
        engines={getNodeSnapshot(node.name)?.rtpengines ?? null}
        canAct={can(actor, "rtpengine.write")}
      />
      <CanaryRuns runs={await getCanaryRuns(await getDb(), { nodeId: node.id, limit: 20 })} now={now} />
      <RefreshServerData everyMs={60_000} />
    </div>
  );
}
