import { withAuth } from "@/lib/auth/with-auth";
import { answer, aorParam, jsonBody, noStore } from "@/lib/provisioning/http";
import { changeSubscriberPassword } from "@/lib/provisioning/service";

export const dynamic = "force-dynamic";

/** { password } | { generate: true } → { aor, generatedPassword? }; 400 { error, fields }, 404. */
export const POST = withAuth<{ aor: string }>("subscribers.write", async (request, { actor, params }) =>
  answer(async () =>
    Response.json(await changeSubscriberPassword(actor, aorParam(params.aor), await jsonBody(request)), {
      headers: noStore,
    }),
  ),
);
