import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { listNodeStatus } from "@/lib/poller/node-status";

export const dynamic = "force-dynamic";

export const GET = withAuth("nodes.read", async () => {
  const nodes = await listNodeStatus(await getDb());
  return Response.json(nodes, { headers: { "cache-control": "no-store" } });
});
