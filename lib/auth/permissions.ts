import { z } from "zod";

// Roles are ordered viewer < operator < admin; a route names the permission it needs and this table decides.

export const roleSchema = z.enum(["viewer", "operator", "admin"]);
export type Role = z.infer<typeof roleSchema>;
export const ROLES: readonly Role[] = roleSchema.options;

const viewerAndUp: readonly Role[] = ["viewer", "operator", "admin"];
const operatorAndUp: readonly Role[] = ["operator", "admin"];
const adminOnly: readonly Role[] = ["admin"];

/**
 * THE permission table: which roles hold each permission, and whether a wall kiosk (read-only screen signed in
 * with a kiosk token) holds it. A kiosk holds only what is marked `kiosk: true`, whatever its token's role.
 */
export const PERMISSION_TABLE = {
  "overview.read": { roles: viewerAndUp, kiosk: true },
  "wall.read": { roles: viewerAndUp, kiosk: true },
  "stream.read": { roles: viewerAndUp, kiosk: true },
  "alerts.read": { roles: viewerAndUp, kiosk: true },
  "nodes.read": { roles: viewerAndUp, kiosk: false },
  "series.read": { roles: viewerAndUp, kiosk: false },
  "events.read": { roles: viewerAndUp, kiosk: false },
  "connections.read": { roles: viewerAndUp, kiosk: false },
  "dialogs.read": { roles: viewerAndUp, kiosk: false },
  "registrations.read": { roles: viewerAndUp, kiosk: false },
  "media.read": { roles: viewerAndUp, kiosk: false },
  "metrics.read": { roles: viewerAndUp, kiosk: false },
  "subscribers.read": { roles: viewerAndUp, kiosk: false },
  "subscribers.write": { roles: operatorAndUp, kiosk: false },
  "ws.close": { roles: operatorAndUp, kiosk: false },
  "dlg.end": { roles: operatorAndUp, kiosk: false },
  "rtpengine.write": { roles: operatorAndUp, kiosk: false },
  "admin.read": { roles: adminOnly, kiosk: false },
  "audit.read": { roles: adminOnly, kiosk: false },
  "nodes.write": { roles: adminOnly, kiosk: false },
  "tokens.write": { roles: adminOnly, kiosk: false },
  "operators.write": { roles: adminOnly, kiosk: false },
  "alerts.write": { roles: adminOnly, kiosk: false },
} as const satisfies Record<string, { roles: readonly Role[]; kiosk: boolean }>;

export type Permission = keyof typeof PERMISSION_TABLE;
export const PERMISSIONS = Object.keys(PERMISSION_TABLE) as Permission[];

/** The permission set of a signed-in principal: by role, narrowed to the kiosk set for kiosks. */
export function permissionsFor(role: Role, kiosk: boolean): ReadonlySet<Permission> {
  return new Set(
    PERMISSIONS.filter((permission) => {
      const entry: { roles: readonly Role[]; kiosk: boolean } = PERMISSION_TABLE[permission];
      return entry.roles.includes(role) && (!kiosk || entry.kiosk);
    }),
  );
}

export function roleHas(role: Role, permission: Permission, kiosk = false): boolean {
  return permissionsFor(role, kiosk).has(permission);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSION_TABLE, value);
}
