import { withAuth } from "@/lib/auth/with-auth";
import { parseSearchParams } from "@/lib/http/parse";
import { answer, aorParam, noStore, removeQuerySchema } from "@/lib/provisioning/http";
import { removeSubscriber, showSubscriber } from "@/lib/provisioning/service";

export const dynamic = "force-dynamic";

/** The subscriber with its registrations and connections from the poller's snapshot (SubscriberDetail). */
export const GET = withAuth<{ aor: string }>("subscribers.read", async (_request, { actor, params }) =>
  answer(async () => Response.json(await showSubscriber(actor, aorParam(params.aor)), { headers: noStore })),
);

/** ?dropRegistrations=1&closeSockets=1 → { aor, registrationsDropped, socketsClosed, failures }. */
export const DELETE = withAuth<{ aor: string }>("subscribers.write", async (request, { actor, params }) =>
  answer(async () => {
    const options = parseSearchParams(request, removeQuerySchema);
    return Response.json(await removeSubscriber(actor, aorParam(params.aor), options), { headers: noStore });
  }),
);
