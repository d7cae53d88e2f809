import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { parseJsonBody } from "@/lib/http/parse";
import { addNodeAs, addNodeInput } from "@/lib/nodes/node-admin";
import { listNodeStatus } from "@/lib/poller/node-status";

export const dynamic = "force-dynamic";

export const GET = withAuth("nodes.read", async () => {
  const nodes = await listNodeStatus(await getDb());
  return Response.json(nodes, { headers: { "cache-control": "no-store" } });
});

export const POST = withAuth("nodes.write", async (request, { actor }) => {
  const node = await addNodeAs(actor, await parseJsonBody(request, addNodeInput), "api");
  return Response.json(node, { status: 201, headers: { "cache-control": "no-store" } });
});
