import { z } from "zod";
import { runActionAs } from "@/lib/actions/run-action";
import { withAuth } from "@/lib/auth/with-auth";
import { parseJsonBody } from "@/lib/http/parse";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ url: z.string(), enabled: z.boolean() }).strict();

/** { url, enabled }: rtpengine.enable on the instance as rtpengine.show lists it (disable = out of selection). */
export const PATCH = withAuth<{ name: string }>("rtpengine.write", async (request, { actor, params }) => {
  const body = await parseJsonBody(request, bodySchema);
  const outcome = await runActionAs(actor, { action: "rtpengine.enable", node: params.name, ...body });
  return Response.json(outcome, { headers: { "cache-control": "no-store" } });
});
