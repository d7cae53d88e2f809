import { revokeTokenAs, tokenIdSchema } from "@/lib/auth/token-admin";
import { withAuth } from "@/lib/auth/with-auth";
import { notFound } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/** Revokes the token (kept, marked revoked); 404 when there is no live token with this id. */
export const DELETE = withAuth<{ id: string }>("tokens.write", async (_request, { actor, params }) => {
  const id = tokenIdSchema.safeParse(params.id);
  if (!id.success) throw notFound(`Token "${params.id}"`);
  const revoked = await revokeTokenAs(actor, id.data);
  return Response.json({ revoked }, { headers: { "cache-control": "no-store" } });
});
