import { runActionAs } from "@/lib/actions/run-action";
import { withAuth } from "@/lib/auth/with-auth";

export const dynamic = "force-dynamic";

/** ws.ping on the node's connection {id} (core.tcp_list id = ul.dump Tcpconn-Id). 200 with ok false when Kamailio refused. */
export const POST = withAuth<{ name: string; id: string }>(
  "ws.close",
  async (_request, { actor, params }) => {
    const outcome = await runActionAs(actor, {
      action: "ws.ping",
      node: params.name,
      connectionId: params.id,
    });
    return Response.json(outcome, { headers: { "cache-control": "no-store" } });
  },
);
