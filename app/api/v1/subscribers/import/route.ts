import { withAuth } from "@/lib/auth/with-auth";
import { ApiError } from "@/lib/http/errors";
import { parseSearchParams } from "@/lib/http/parse";
import { answer } from "@/lib/provisioning/http";
import { importResponse } from "@/lib/provisioning/import-stream";
import { importQuerySchema } from "@/lib/provisioning/types";

export const dynamic = "force-dynamic";

/**
 * text/csv body (username,domain,password header) → application/x-ndjson: {"type":"progress",done,total}… then
 * {"type":"result",…errors:[{line,field,message}]}. ?dryRun=1 checks only; mode=all_or_nothing|skip_bad.
 */
export const POST = withAuth("subscribers.write", async (request, { actor }) =>
  answer(async () => {
    const query = parseSearchParams(request, importQuerySchema);
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("text/csv"))
      throw new ApiError(415, "Send the CSV as the body (content-type: text/csv)");
    return importResponse(actor, await request.text(), query);
  }),
);
