import { withAuth } from "@/lib/auth/with-auth";
import { parseJsonBody } from "@/lib/http/parse";
import { removeNodeAs, setNodeEnabledAs, setNodeEnabledInput } from "@/lib/nodes/node-admin";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

/** { enabled: boolean } — start or stop polling the node. */
export const PATCH = withAuth<{ name: string }>("nodes.write", async (request, { actor, params }) => {
  const node = await setNodeEnabledAs(actor, params.name, await parseJsonBody(request, setNodeEnabledInput));
  return Response.json(node, { headers: noStore });
});

export const DELETE = withAuth<{ name: string }>("nodes.write", async (_request, { actor, params }) => {
  const node = await removeNodeAs(actor, params.name);
  return Response.json({ removed: node }, { headers: noStore });
});
