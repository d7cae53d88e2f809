import { ApiError } from "@/lib/http/errors";
import { type Actor, can } from "./actor";
import type { Permission } from "./permissions";

/**
 * For services that change state: they check the permission again themselves, so no caller (route handler,
 * server action, a future CLI path) can reach the change without it. 403 like withAuth.
 */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new ApiError(403, `Your role does not allow "${permission}"`);
}
