import { withAuth } from "@/lib/auth/with-auth";
import { parseSearchParams } from "@/lib/http/parse";
import { fleetConnectionRows, listAges } from "@/lib/troubleshoot/fleet-rows";
import { connectionQuerySchema, queryConnections } from "@/lib/troubleshoot/queries";

export const dynamic = "force-dynamic";

/**
 * ?node=&transport=WS|WSS|TLS|TCP&ip=<address or CIDR>&user=&sort=&dir=&page=&pageSize= — one page of every node's
 * connections, with per-source-IP counts and the age of the lists they come from.
 */
export const GET = withAuth("connections.read", async (request) => {
  const query = parseSearchParams(request, connectionQuerySchema);
  const { bySourceIp, ...page } = queryConnections(fleetConnectionRows(), query);
  return Response.json(
    { ...page, bySourceIp, lists: listAges() },
    { headers: { "cache-control": "no-store" } },
  );
});
