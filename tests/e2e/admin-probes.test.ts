import path from "node:path";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/wait";
import { signIn } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

// The admin nodes page's "Probe settings" in Chromium against the built app: per-field errors from the server's
// zod schema, then saved settings in PostgreSQL, audited, and the handshake probe of the lab node using them.

const suite = setupDashboardApp();

describe("probe settings on the admin nodes page", () => {
  it("shows each bad field's error, saves good settings (audited) and the poller uses them", async () => {
    const base = suite.baseUrl();
    const lab = suite.lab();
    const { getDb } = await import("@/lib/db");
    const db = await getDb();
    const admin = await suite.newPage();
    const { page } = admin;
    await signIn(page, base, "/admin/nodes", "admin", suite.adminPassword);
    const row = "[data-testid='admin-node-probes-row'][data-node='lab']";
    await page.click(`${row} [data-testid='node-probe-settings'] summary`);
    const form = `${row} [data-testid='node-handshake-form']`;

    await page.fill("#node-lab-hs-url", lab.sip.wss);
    await page.fill("#node-lab-hs-origin", "https://phone.example.org/app");
    await page.fill("#node-lab-hs-interval", "0");
    await page.click(`${form} button[type=submit]`);
    await waitFor(
      async () => (await page.textContent(form))?.includes("Origin must be http(s)://host[:port]"),
      {
        description: "the Origin's error under its field",
      },
    );
    expect(await page.textContent(form)).toContain("interval: at least 1 s");
    expect(await db.auditLog.count({ where: { action: "node.probes" } })).toBe(0);

    await page.fill("#node-lab-hs-origin", lab.origins[0] ?? "");
    await page.fill("#node-lab-hs-interval", "2");
    await page.uncheck("#node-lab-hs-verify"); // the lab's certificate is self-signed
    await page.click(`${form} button[type=submit]`);
    await waitFor(async () => (await page.textContent(form))?.includes("Saved"), { description: "saved" });
    expect(await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } })).toMatchObject({
      handshakeUrl: lab.sip.wss,
      handshakeOrigin: lab.origins[0],
      handshakeIntervalS: 2,
      handshakeVerifyTls: false,
    });

    const rtp = `${row} [data-testid='node-rtpengine-form']`;
    await page.fill("#node-lab-rtp", `udp:${lab.rtpengine.ng} ng=tcp:127.0.0.1:1`);
    await page.click(`${rtp} button[type=submit]`);
    await page.waitForSelector(`${rtp} [data-testid='node-rtpengine-error']`);
    expect(await page.textContent(`${rtp} [data-testid='node-rtpengine-error']`)).toMatch(
      /^line 1: ng must be/,
    );
    await page.fill("#node-lab-rtp", `udp:${lab.rtpengine.ng} metrics=${lab.rtpengine.http}/metrics`);
    await page.click(`${rtp} button[type=submit]`);
    await waitFor(async () => (await page.textContent(rtp))?.includes("Saved"), {
      description: "addresses saved",
    });
    await page.screenshot({
      path: path.join(screenshotDir, "admin-node-probe-settings.png"),
      fullPage: true,
    });

    const stored = await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } });
    expect(stored.rtpengineAddresses).toEqual({
      [`udp:${lab.rtpengine.ng}`]: { ng: null, metricsUrl: `${lab.rtpengine.http}/metrics` },
    });
    const audit = await db.auditLog.findMany({ where: { action: "node.probes" }, orderBy: { id: "asc" } });
    expect(audit.map((r) => `${r.actor} ${r.target}`)).toEqual([
      "operator:admin node:lab",
      "operator:admin node:lab",
    ]);

    // the running app's poller: attempts at the node's own target, every 2 s
    const overview = async () =>
      (await (await page.request.get(`${base}/api/v1/overview`)).json()) as {
        nodes: { name: string; handshake: { last: { url: string; outcome: string } } | null }[];
      };
    await waitFor(
      async () => (await overview()).nodes.find((n) => n.name === "lab")?.handshake?.last.outcome === "ok",
      { timeoutMs: 30_000, description: "a handshake attempt with the saved target" },
    );

    // back to the defaults: empty fields
    await page.goto(`${base}/admin/nodes`);
    await page.click(`${row} [data-testid='node-probe-settings'] summary`);
    for (const field of [
      "#node-lab-hs-url",
      "#node-lab-hs-origin",
      "#node-lab-hs-interval",
      "#node-lab-rtp",
    ]) {
      await page.fill(field, "");
    }
    await page.click(`${form} button[type=submit]`);
    await waitFor(async () => (await page.textContent(form))?.includes("Saved"), { description: "reset" });
    await page.click(`${rtp} button[type=submit]`);
    await waitFor(async () => (await page.textContent(rtp))?.includes("Saved"), { description: "reset" });
    expect(await db.kamailioNode.findUniqueOrThrow({ where: { name: "lab" } })).toMatchObject({
      handshakeUrl: null,
      handshakeIntervalS: null,
      rtpengineAddresses: {},
    });
    expect(admin.errors).toEqual([]);
  });
});
