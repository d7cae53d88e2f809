import { describe, expect, it } from "vitest";
import { actorLabel, can, kioskActor, operatorActor, publicActor, tokenActor } from "@/lib/auth/actor";
import {
  isPermission,
  PERMISSION_TABLE,
  PERMISSIONS,
  permissionsFor,
  ROLES,
  roleHas,
} from "@/lib/auth/permissions";

describe("permission table", () => {
  it("names every permission the routes need", () => {
    for (const name of [
      "overview.read",
      "nodes.read",
      "series.read",
      "stream.read",
      "wall.read",
      "nodes.write",
      "tokens.write",
      "operators.write",
      "admin.read",
      "ws.close",
      "dlg.end",
      "subscribers.write",
    ]) {
      expect(isPermission(name), name).toBe(true);
    }
    expect(isPermission("toString")).toBe(false);
    expect(isPermission("nodes.delete")).toBe(false);
  });

  it("orders roles viewer < operator < admin: a higher role holds everything a lower one holds", () => {
    expect(ROLES).toEqual(["viewer", "operator", "admin"]);
    const viewer = permissionsFor("viewer", false);
    const operator = permissionsFor("operator", false);
    const admin = permissionsFor("admin", false);
    for (const permission of viewer) expect(operator.has(permission), permission).toBe(true);
    for (const permission of operator) expect(admin.has(permission), permission).toBe(true);
    expect(admin.size).toBe(PERMISSIONS.length);
    expect(operator.size).toBeGreaterThan(viewer.size);
  });

  it("keeps viewers read-only", () => {
    expect(roleHas("viewer", "nodes.read")).toBe(true);
    expect(roleHas("viewer", "series.read")).toBe(true);
    expect(roleHas("viewer", "nodes.write")).toBe(false);
    expect(roleHas("viewer", "ws.close")).toBe(false);
    expect(roleHas("viewer", "admin.read")).toBe(false);
    expect([...permissionsFor("viewer", false)].every((permission) => permission.endsWith(".read"))).toBe(
      true,
    );
  });

  it("lets operators act on live traffic but not administer kamdash", () => {
    expect(roleHas("operator", "ws.close")).toBe(true);
    expect(roleHas("operator", "dlg.end")).toBe(true);
    expect(roleHas("operator", "subscribers.write")).toBe(true);
    expect(roleHas("operator", "nodes.write")).toBe(false);
    expect(roleHas("operator", "tokens.write")).toBe(false);
    expect(roleHas("operator", "operators.write")).toBe(false);
    expect(roleHas("operator", "admin.read")).toBe(false);
  });

  it("gives kiosks exactly wall, stream, overview and alerts, whatever the token's role", () => {
    for (const role of ROLES) {
      expect([...permissionsFor(role, true)].sort()).toEqual([
        "alerts.read",
        "overview.read",
        "stream.read",
        "wall.read",
      ]);
    }
    const kiosk = kioskActor({ tokenId: 1, name: "noc" });
    expect(kiosk.role).toBe("viewer");
    expect(can(kiosk, "wall.read")).toBe(true);
    expect(can(kiosk, "overview.read")).toBe(true);
    expect(can(kiosk, "nodes.read")).toBe(false);
    expect(can(kiosk, "series.read")).toBe(false);
    const kioskFlaggedAdminToken = tokenActor({ tokenId: 2, name: "wall", role: "admin", kiosk: true });
    expect(can(kioskFlaggedAdminToken, "nodes.write")).toBe(false);
    expect(can(kioskFlaggedAdminToken, "stream.read")).toBe(true);
  });

  it("marks only read permissions as kiosk permissions", () => {
    for (const [permission, entry] of Object.entries(PERMISSION_TABLE)) {
      if (entry.kiosk) expect(permission.endsWith(".read"), permission).toBe(true);
    }
  });

  it("labels actors for the audit log and exposes no secrets publicly", () => {
    const operator = operatorActor({
      operatorId: 7,
      username: "alice",
      role: "admin",
      sessionId: "s",
      csrfToken: "c",
    });
    expect(actorLabel(operator)).toBe("operator:alice");
    expect(actorLabel(tokenActor({ tokenId: 3, name: "ci", role: "viewer", kiosk: false }))).toBe("token:ci");
    expect(actorLabel(kioskActor({ tokenId: 4, name: "noc" }))).toBe("kiosk:noc");
    const shown = publicActor(operator);
    expect(shown).toEqual({
      kind: "operator",
      name: "alice",
      role: "admin",
      permissions: [...PERMISSIONS].sort(),
    });
    expect(JSON.stringify(shown)).not.toContain('"c"');
  });
});
