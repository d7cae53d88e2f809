import { cookies, headers } from "next/headers";
import { ApiError } from "@/lib/http/errors";
import { type Actor, can } from "./actor";
import { authenticate } from "./authenticate";
import { KIOSK_COOKIE, SESSION_COOKIE } from "./cookies";
import type { Permission } from "./permissions";
import { isSameOrigin } from "./request-info";

// Auth for server actions. Next runs an action for a POST to ANY page that names its id (proxy.ts lets /login
// through without credentials), so every action authorizes its caller itself, like a route handler.
// Next aborts an action whose Origin differs from Host/X-Forwarded-Host (we set no serverActions.allowedOrigins)
// but lets a request without Origin through; browsers always send one on POST, so we require it here.
//   const actor = await requireAction("nodes.write");   // throws ApiError 401/403

export type ActionCredentials = {
  headers: Pick<Headers, "get">;
  sessionCookie: string | null | undefined;
  kioskCookie: string | null | undefined;
};

export async function authorizeAction(
  credentials: ActionCredentials,
  permission: Permission,
): Promise<Actor> {
  if (!isSameOrigin(credentials.headers)) {
    throw new ApiError(403, "Cross-origin request refused", { code: "csrf_failed" });
  }
  const { actor } = await authenticate({
    authorization: null,
    sessionCookie: credentials.sessionCookie,
    kioskCookie: credentials.kioskCookie,
  });
  if (!actor) throw new ApiError(401, "Your session has ended: sign in again");
  if (!can(actor, permission)) throw new ApiError(403, `Your role does not allow "${permission}"`);
  return actor;
}

/** The caller of the running server action, if it holds `permission`. */
export async function requireAction(permission: Permission): Promise<Actor> {
  const [requestHeaders, cookieStore] = await Promise.all([headers(), cookies()]);
  return authorizeAction(
    {
      headers: requestHeaders,
      sessionCookie: cookieStore.get(SESSION_COOKIE)?.value,
      kioskCookie: cookieStore.get(KIOSK_COOKIE)?.value,
    },
    permission,
  );
}
