import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { parseSearchParams } from "@/lib/http/parse";
import { fleetConnectionRows, fleetDialogRows, fleetRegistrationRows } from "@/lib/troubleshoot/fleet-rows";
import { resolveSearch } from "@/lib/troubleshoot/search";

export const dynamic = "force-dynamic";

const querySchema = z.object({ q: z.string().max(1024, "at most 1024 characters") });

/** ?q=<user, IP, CIDR or Call-ID> — { redirect, matches } as the search box resolves it. */
export const GET = withAuth("connections.read", async (request) => {
  const { q } = parseSearchParams(request, querySchema);
  const result = resolveSearch(q, {
    registrations: fleetRegistrationRows(),
    connections: fleetConnectionRows(),
    dialogs: fleetDialogRows(Math.floor(Date.now() / 1000)),
  });
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});
