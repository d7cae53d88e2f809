import { z } from "zod";
import { runActionAs } from "@/lib/actions/run-action";
import { withAuth } from "@/lib/auth/with-auth";
import { parseJsonBody } from "@/lib/http/parse";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ callId: z.string().max(1024).optional() }).strict();

/**
 * dlg.end_dlg on the dialog "{h_entry}:{h_id}" (as dlg.list gives them): Kamailio sends BYE to both legs. Optional
 * JSON body { callId } is kept in the audit row.
 */
export const POST = withAuth<{ name: string; dialog: string }>(
  "dlg.end",
  async (request, { actor, params }) => {
    const [hEntry, hId] = decodeURIComponent(params.dialog).split(":");
    const body = request.headers.get("content-type") ? await parseJsonBody(request, bodySchema) : {};
    const outcome = await runActionAs(actor, { action: "dlg.end", node: params.name, hEntry, hId, ...body });
    return Response.json(outcome, { headers: { "cache-control": "no-store" } });
  },
);
