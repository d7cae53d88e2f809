import { withAuth } from "@/lib/auth/with-auth";
import { parseSearchParams } from "@/lib/http/parse";
import { dialogCounts } from "@/lib/troubleshoot/dialog-rows";
import { fleetDialogRows, listAges } from "@/lib/troubleshoot/fleet-rows";
import { dialogQuerySchema, queryDialogs } from "@/lib/troubleshoot/queries";

export const dynamic = "force-dynamic";

/** ?node=&user=&callId=&state=early|confirmed&sort=&dir=&page=&pageSize= — one page of every node's live dialogs. */
export const GET = withAuth("dialogs.read", async (request) => {
  const rows = fleetDialogRows(Math.floor(Date.now() / 1000));
  const page = queryDialogs(rows, parseSearchParams(request, dialogQuerySchema));
  return Response.json(
    { ...page, counts: dialogCounts(rows), lists: listAges() },
    { headers: { "cache-control": "no-store" } },
  );
});
