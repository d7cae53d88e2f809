import { withAuth } from "@/lib/auth/with-auth";
import { parseSearchParams } from "@/lib/http/parse";
import { answer, jsonBody, noStore } from "@/lib/provisioning/http";
import { addSubscriber, listSubscribers } from "@/lib/provisioning/service";
import { subscriberListQuerySchema } from "@/lib/provisioning/types";

export const dynamic = "force-dynamic";

/** ?q=&page=&pageSize= → { rows: SubscriberRow[], total, page, pageSize } (every row of Kamailio's table). */
export const GET = withAuth("subscribers.read", async (request) =>
  answer(async () =>
    Response.json(await listSubscribers(parseSearchParams(request, subscriberListQuerySchema)), {
      headers: noStore,
    }),
  ),
);

/** { username, domain, password } | { username, domain, generate: true } → 201 { aor, generatedPassword? }. */
export const POST = withAuth("subscribers.write", async (request, { actor }) =>
  answer(async () =>
    Response.json(await addSubscriber(actor, await jsonBody(request)), { status: 201, headers: noStore }),
  ),
);
