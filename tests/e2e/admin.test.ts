import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/ports";
import { waitFor } from "../support/wait";
import { signIn, waitForLiveStatus } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

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

/** Replays a captured server action POST from outside the browser, with `origin` (or none). */
async function replayAction(
  captured: { url: string; headers: Record<string, string>; body: string },
  origin: string | null,
  cookie: string,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    "content-type": captured.headers["content-type"] ?? "",
    accept: captured.headers.accept ?? "text/x-component",
    "next-action": captured.headers["next-action"] ?? "",
    "next-router-state-tree": captured.headers["next-router-state-tree"] ?? "",
    cookie,
  };
  if (origin !== null) headers.origin = origin;
  const response = await fetch(captured.url, { method: "POST", headers, body: captured.body });
  return { status: response.status, text: await response.text() };
}

describe("admin changes while the server runs", () => {
  it("adds a node through the form (listed, on /overview) and creates a kiosk token whose /wall URL opens the wall", async () => {
    const base = suite.baseUrl();
    const { getDb } = await import("@/lib/db");
    const db = await getDb();
    const admin = await suite.newPage();
    const { page } = admin;
    page.on("dialog", (dialog) => void dialog.accept());
    await signIn(page, base, "/admin/nodes", "admin", suite.adminPassword);

    // a closed port: the node is polled and shows as down
    const rpcUrl = `http://127.0.0.1:${await freePort()}/RPC`;
    const actionPost = page.waitForRequest(
      (r) => r.method() === "POST" && r.headers()["next-action"] !== undefined,
    );
    await page.fill("#node-name", "e2e-added");
    await page.fill("#node-rpc-url", rpcUrl);
    await page.click("[data-testid='add-node-form'] button[type=submit]");
    const posted = await actionPost;
    await page.waitForSelector("[data-testid='add-node-result']");
    const row = "[data-testid='admin-node-row'][data-node='e2e-added']";
    expect(await page.textContent(`${row} td:nth-child(2)`)).toBe(rpcUrl);
    await page.fill("#node-name", "bad name!");
    await page.click("[data-testid='add-node-form'] button[type=submit]");
    await waitFor(
      async () =>
        (await page.textContent("[data-testid='add-node-form']"))?.includes("node name: 1-63 characters"),
      { description: "the name's error under the field" },
    );
    await page.screenshot({ path: path.join(screenshotDir, "admin-nodes.png"), fullPage: true });

    await page.goto(`${base}/overview`);
    const overviewRow = "[data-testid='node-row'][data-node='e2e-added']";
    await waitFor(async () => (await page.getAttribute(overviewRow, "data-tone")) === "down", {
      timeoutMs: 30_000,
      description: "the added node on /overview, polled and down",
    });
    await page.screenshot({ path: path.join(screenshotDir, "overview-node-added.png"), fullPage: true });

    // the same action POST replayed from another origin, or without Origin, changes nothing
    const captured = {
      url: posted.url(),
      headers: posted.headers(),
      body: (posted.postData() ?? "").replaceAll("e2e-added", "e2e-forged"),
    };
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const foreign = await replayAction(captured, "https://evil.example", cookie);
    expect(foreign.status).toBe(500);
    const noOrigin = await replayAction(captured, null, cookie);
    expect(noOrigin.text).toContain("Cross-origin request refused");
    expect(await db.kamailioNode.count({ where: { name: "e2e-forged" } })).toBe(0);
    // control: the replay itself works from our own origin
    const same = await replayAction(captured, base, cookie);
    expect(same.status).toBe(200);
    expect(await db.kamailioNode.count({ where: { name: "e2e-forged" } })).toBe(1);

    await page.goto(`${base}/admin/nodes`);
    await page.click(`${row} [data-testid='node-toggle']`);
    await waitFor(async () => (await page.textContent(row))?.includes("disabled"), {
      description: "the node to show as disabled",
    });
    for (const name of ["e2e-added", "e2e-forged"]) {
      await page.click(`[data-testid='admin-node-row'][data-node='${name}'] [data-testid='node-remove']`);
      await page.waitForSelector(`[data-testid='admin-node-row'][data-node='${name}']`, {
        state: "detached",
      });
    }

    await page.goto(`${base}/admin/tokens`);
    await page.fill("#token-name", "e2e-lobby");
    await page.selectOption("#token-role", "viewer");
    await page.check("#token-kiosk");
    await page.click("[data-testid='create-token-form'] button[type=submit]");
    const wallUrl = await (await page.waitForSelector("[data-testid='created-wall-url']")).getAttribute(
      "href",
    );
    const token = await page.textContent("[data-testid='created-token']");
    expect(token).toMatch(/^kd_/);
    expect(wallUrl).toBe(`${base}/wall?kiosk=${token}`);
    await page.screenshot({ path: path.join(screenshotDir, "admin-token-created.png"), fullPage: true });
    const tokenRows = await page.$$eval("[data-testid='admin-token-row'] td:first-child", (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(tokenRows).toContain("e2e-lobby");

    const wall = await suite.newPage();
    await wall.page.goto(wallUrl ?? "");
    expect(new URL(wall.page.url()).pathname).toBe("/wall");
    expect(wall.page.url()).not.toContain(token ?? "");
    await waitForLiveStatus(wall.page, "live");
    expect(await wall.page.getAttribute("[data-testid='wall-node'][data-node='lab']", "data-tone")).toBe(
      "ok",
    );

    const audit = await db.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((r) => `${r.actor} ${r.action} ${r.target}`)).toEqual([
      "operator:admin node.add node:e2e-added",
      "operator:admin node.add node:e2e-forged",
      "operator:admin node.disable node:e2e-added",
      "operator:admin node.remove node:e2e-added",
      "operator:admin node.remove node:e2e-forged",
      expect.stringMatching(/^operator:admin token\.create token:\d+$/),
    ]);
    expect(admin.errors).toEqual([]);
    expect(wall.errors).toEqual([]);
  });
});
