import { unstable_rethrow } from "next/navigation";
import { ApiError, toErrorResponse } from "@/lib/http/errors";
import { type Actor, can } from "./actor";
import { authenticate, requestCredentials } from "./authenticate";
import type { Permission } from "./permissions";
import { checkCsrf } from "./request-info";

// The wrapper every route handler uses: it authenticates, enforces CSRF for cookie-authenticated mutations,
// checks the one permission the route names, and maps whatever the handler throws to a JSON error.
//   export const GET = withAuth("nodes.read", async (request, { actor, params }) => Response.json(...));
// 401 = no or unusable credentials; 403 = authenticated but not allowed (permission or CSRF), never 401.

export type RouteParams = Record<string, string | string[] | undefined>;
export type AuthedContext<P extends RouteParams> = { actor: Actor; params: P };
export type AuthedHandler<P extends RouteParams> = (
  request: Request,
  context: AuthedContext<P>,
) => Response | Promise<Response>;

/** What Next passes a route handler as its second argument. */
export type NextRouteContext<P extends RouteParams> = { params: Promise<P> };

export async function authorizeRequest(request: Request, permission: Permission): Promise<Actor> {
  const { actor, source } = await authenticate(requestCredentials(request));
  if (!actor) {
    throw new ApiError(401, "Sign in or send a valid API token", {
      headers: { "www-authenticate": 'Bearer realm="kamdash"' },
    });
  }
  if (source !== "bearer") {
    const verdict = checkCsrf(
      request.method,
      request.headers,
      actor.kind === "operator" ? actor.csrfToken : null,
    );
    if (!verdict.ok) {
      const message =
        verdict.reason === "origin" ? "Cross-origin request refused" : "Missing or wrong x-csrf-token header";
      throw new ApiError(403, message, { code: "csrf_failed" });
    }
  }
  if (!can(actor, permission)) throw new ApiError(403, `Your role does not allow "${permission}"`);
  return actor;
}

/**
 * For responses that stay open (SSE): re-checks the request's credentials. False once they no longer grant
 * `permission` (token revoked, signed out, operator disabled); true on other failures (e.g. the database).
 */
export function stillAuthorized(request: Request, permission: Permission): () => Promise<boolean> {
  return () =>
    authorizeRequest(request, permission).then(
      () => true,
      (error: unknown) => !(error instanceof ApiError),
    );
}

/** A route handler made by withAuth(): callable by Next, and naming the permission it checks (for the tests). */
export type AuthedRoute<P extends RouteParams> = ((
  request: Request,
  context: NextRouteContext<P>,
) => Promise<Response>) & { readonly permission: Permission };

export function withAuth<P extends RouteParams = Record<string, never>>(
  permission: Permission,
  handler: AuthedHandler<P>,
): AuthedRoute<P> {
  const route = async (request: Request, context: NextRouteContext<P>): Promise<Response> => {
    try {
      const actor = await authorizeRequest(request, permission);
      const params = await context.params;
      return await handler(request, { actor, params });
    } catch (error) {
      // Next's own control flow (notFound(), redirect(), forbidden()) must pass through untouched.
      unstable_rethrow(error);
      return toErrorResponse(error);
    }
  };
  return Object.assign(route, { permission });
}
