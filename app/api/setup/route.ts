import { z } from "zod";
import { isSameOrigin } from "@/lib/auth/request-info";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { completeSetup } from "@/lib/auth/setup";
import { requestOriginOf } from "@/lib/auth/setup-peer";
import { ApiError, toErrorResponse } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/parse";

// First-run setup (lib/auth/setup.ts): creates the first admin while no operator exists and signs them in.
// Public on purpose (nobody can sign in yet); 404 once an operator exists. JSON only and no foreign Origin, so a
// web page the admin happens to visit cannot post here.

export async function POST(request: Request): Promise<Response> {
  try {
    if (request.headers.has("origin") && !isSameOrigin(request.headers)) {
      throw new ApiError(403, "Cross-origin request refused", { code: "csrf_failed" });
    }
    // the body is checked by completeSetup, after "is setup still open?" (404 comes before 422)
    const body = await parseJsonBody(request, z.unknown());
    const done = await completeSetup(body, requestOriginOf(request.headers));
    await setSessionCookies(done.session);
    return Response.json(
      { operator: done.operator, csrfToken: done.session.csrfToken },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
