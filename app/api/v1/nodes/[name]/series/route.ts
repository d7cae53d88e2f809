import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/http/errors";
import { getNodeByName } from "@/lib/metrics/queries/getNodeByName";
import { getSeries } from "@/lib/metrics/queries/getSeries";
import { seriesQuerySchema } from "@/lib/metrics/series-query";
import type { SeriesResponse } from "@/lib/poller/snapshot";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>("series.read", async (request, { params }) => {
  const query = seriesQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = await getDb();
  const node = await getNodeByName(db, params.name);
  if (!node) throw notFound(`Node "${params.name}"`);
  const series = await getSeries(db, {
    nodeId: node.id,
    metric: query.metric,
    from: query.from,
    to: query.to,
  });
  const body: SeriesResponse & { bucketMs: number } = {
    node: node.name,
    metric: query.metric,
    bucketMs: series.bucketMs,
    points: series.points,
  };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
