import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signIn } from "./support/page-state";
import { setupDashboardApp } from "./support/suite";

const suite = setupDashboardApp();
const viewerPassword = `e2e-viewer-${randomBytes(8).toString("hex")}`;

describe("admin", () => {
  it("is refused with HTTP 403 to a viewer and to a kiosk, and open to an admin", async () => {
    const { createOperator } = await import("@/lib/auth/operators");
    await createOperator({ username: "e2e-viewer", password: viewerPassword, role: "viewer" });

    const viewer = await suite.newPage();
    await signIn(viewer.page, suite.baseUrl(), "/overview", "e2e-viewer", viewerPassword);
    for (const adminPath of ["/admin", "/admin/nodes", "/admin/tokens"]) {
      const response = await viewer.page.goto(`${suite.baseUrl()}${adminPath}`);
      expect(response?.status(), adminPath).toBe(403);
      expect(await viewer.page.textContent("h1")).toContain("403");
    }
    // the nav offers a viewer no Admin link
    expect(await viewer.page.goto(`${suite.baseUrl()}/overview`).then((r) => r?.status())).toBe(200);
    expect(await viewer.page.locator("nav[aria-label='Main'] a[href='/admin']").count()).toBe(0);

    const kiosk = await suite.newPage();
    await kiosk.page.goto(`${suite.baseUrl()}/wall?kiosk=${await suite.createKioskToken("e2e-kiosk-admin")}`);
    expect((await kiosk.page.goto(`${suite.baseUrl()}/admin`))?.status()).toBe(403);

    const admin = await suite.newPage();
    await signIn(admin.page, suite.baseUrl(), "/admin/tokens", "admin", suite.adminPassword);
    const names = await admin.page.$$eval("[data-testid='admin-token-row'] td:first-child", (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(names).toContain("e2e-kiosk-admin");
    expect((await admin.page.goto(`${suite.baseUrl()}/admin/nodes`))?.status()).toBe(200);
    expect(await admin.page.locator("[data-testid='admin-node-row']").count()).toBeGreaterThanOrEqual(1);
    expect(admin.errors).toEqual([]);
  });
});
