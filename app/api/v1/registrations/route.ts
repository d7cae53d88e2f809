import { withAuth } from "@/lib/auth/with-auth";
import { parseSearchParams } from "@/lib/http/parse";
import { fleetRegistrationRows, listAges } from "@/lib/troubleshoot/fleet-rows";
import { queryRegistrations, registrationQuerySchema } from "@/lib/troubleshoot/queries";

export const dynamic = "force-dynamic";

/** ?node=&user=&transport=&ip=&gone=1&sort=&dir=&page=&pageSize= — one page of every node's contacts. */
export const GET = withAuth("registrations.read", async (request) => {
  const page = queryRegistrations(
    fleetRegistrationRows(),
    parseSearchParams(request, registrationQuerySchema),
  );
  return Response.json({ ...page, lists: listAges() }, { headers: { "cache-control": "no-store" } });
});
