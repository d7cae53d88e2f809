import { z } from "zod";
import { attemptLogin } from "@/lib/auth/login";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password";
import { isSameOrigin } from "@/lib/auth/request-info";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { requestClientAddress } from "@/lib/auth/setup-peer";
import { ApiError, toErrorResponse } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/parse";

// JSON sign-in for scripts and tests (the /login page uses a server action). Sets the same cookies.
// Only JSON is accepted (a cross-site form cannot send it without a preflight) and a foreign Origin is refused.

const loginBody = z.object({
  username: z.string().trim().min(1, "Username is required").max(64),
  password: z.string().min(1, "Password is required").max(MAX_PASSWORD_LENGTH),
});

export async function POST(request: Request): Promise<Response> {
  try {
    if (request.headers.has("origin") && !isSameOrigin(request.headers)) {
      throw new ApiError(403, "Cross-origin request refused", { code: "csrf_failed" });
    }
    const body = await parseJsonBody(request, loginBody);
    const result = await attemptLogin({ ...body, clientIp: requestClientAddress(request.headers) });
    if (!result.ok && result.reason === "rate_limited") {
      throw new ApiError(429, `Too many failed sign-ins; try again in ${result.retryAfterSeconds} s`, {
        headers: { "retry-after": String(result.retryAfterSeconds) },
      });
    }
    if (!result.ok) throw new ApiError(401, "Invalid username or password");
    await setSessionCookies(result);
    return Response.json(
      { operator: result.operator, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
