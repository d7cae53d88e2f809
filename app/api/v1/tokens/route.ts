import { listApiTokens } from "@/lib/auth/api-tokens";
import { createTokenAs, createTokenInput } from "@/lib/auth/token-admin";
import { withAuth } from "@/lib/auth/with-auth";
import { parseJsonBody } from "@/lib/http/parse";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

/** Every token without its secret (ids for DELETE). */
export const GET = withAuth("admin.read", async () =>
  Response.json(await listApiTokens(), { headers: noStore }),
);

/** { name, role?, kiosk? } → the token in clear, this once (and `wallPath` for kiosk tokens). */
export const POST = withAuth("tokens.write", async (request, { actor }) => {
  const created = await createTokenAs(actor, await parseJsonBody(request, createTokenInput));
  return Response.json(created, { status: 201, headers: noStore });
});
