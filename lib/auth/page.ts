import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { type Actor, can } from "./actor";
import { authenticate } from "./authenticate";
import { KIOSK_COOKIE, PATH_HEADER, SESSION_COOKIE } from "./cookies";
import type { Permission } from "./permissions";
import { safeNextPath } from "./request-info";

// Auth for pages, layouts and server actions (which Next already protects with its Origin check).
//   const actor = await requirePage("admin.read");
// No session → redirect to /login?next=<this page>; session without the permission → HTTP 403 via forbidden()
// (needs `experimental.authInterrupts` in next.config.js; the 403 UI is app/forbidden.tsx).

/** The signed-in principal of this request, or null. Memoised per request (layout + page share one lookup). */
export const getPageActor = cache(async (): Promise<Actor | null> => {
  const cookieStore = await cookies();
  const { actor } = await authenticate({
    authorization: null,
    sessionCookie: cookieStore.get(SESSION_COOKIE)?.value,
    kioskCookie: cookieStore.get(KIOSK_COOKIE)?.value,
  });
  return actor;
});

export async function loginUrlForThisPage(next?: string): Promise<string> {
  const path = safeNextPath(next ?? (await headers()).get(PATH_HEADER), "/");
  return path === "/" ? "/login" : `/login?next=${encodeURIComponent(path)}`;
}

export async function requirePage(permission: Permission, options: { next?: string } = {}): Promise<Actor> {
  const actor = await getPageActor();
  if (!actor) redirect(await loginUrlForThisPage(options.next));
  if (!can(actor, permission)) forbidden();
  return actor;
}

/** The CSRF token a page hands to client code that calls cookie-authenticated JSON routes (null for kiosks). */
export async function getCsrfToken(): Promise<string | null> {
  const actor = await getPageActor();
  return actor?.kind === "operator" ? actor.csrfToken : null;
}
