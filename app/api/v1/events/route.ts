import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { parseSearchParams } from "@/lib/http/parse";
import { eventsQuerySchema, getEvents } from "@/lib/metrics/queries/getEvents";

export const dynamic = "force-dynamic";

/** ?node=&kind=&since=ISO&limit=1..500 — the newest events first. */
export const GET = withAuth("events.read", async (request) => {
  const events = await getEvents(await getDb(), parseSearchParams(request, eventsQuerySchema));
  return Response.json(events, { headers: { "cache-control": "no-store" } });
});
