import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type LabConfig, labUp } from "@/scripts/lab/lab";
import { createTempPostgres, type TempPostgres } from "../../integration/storage-support";
import { type E2eBrowser, openBrowser, WALL_VIEWPORT } from "../../support/browser";
import { waitFor } from "../../support/wait";
import { ensureBuild, type RunningApp, repoRoot, startApp } from "./app-server";

// One browser-suite file's world: the lab up, the app built and started on a temp database, browsers to open,
// all of it torn down after the file.

export const screenshotDir = path.join(repoRoot, "test-results/screenshots");

export type DashboardSuite = {
  adminPassword: string;
  lab: () => LabConfig;
  baseUrl: () => string;
  /** A page in a fresh browser (own cookies) whose console errors and failed loads are collected. */
  newPage: () => Promise<{ page: Page; errors: string[] }>;
  createKioskToken: (name: string) => Promise<string>;
};

/** `env`: more settings for the app (e.g. a short heavy-list interval). */
export function setupDashboardApp(env: Record<string, string> = {}): DashboardSuite {
  const adminPassword = `e2e-admin-${randomBytes(8).toString("hex")}`;
  let lab: LabConfig | undefined;
  let db: TempPostgres | undefined;
  let app: RunningApp | undefined;
  const browsers: E2eBrowser[] = [];

  beforeAll(async () => {
    lab = (await labUp()).config;
    await ensureBuild();
    db = await createTempPostgres("e2e");
    // this process creates tokens/operators/nodes in the same database (lib/db reads it on first use)
    process.env.DATABASE_URL = db.url;
    app = await startApp({ ...env, DATABASE_URL: db.url, KAMDASH_ADMIN_PASSWORD: adminPassword });
    const base = app.baseUrl;
    await waitFor(
      async () => {
        const health = (await (await fetch(`${base}/api/health`)).json()) as { nodes?: { up: boolean }[] };
        return health.nodes?.some((n) => n.up) === true;
      },
      { timeoutMs: 60_000, description: "the lab node to be polled up (/api/health)" },
    );
    await mkdir(screenshotDir, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await Promise.allSettled(browsers.map((b) => b.close()));
    await app?.stop();
    const { closeDb } = await import("@/lib/db");
    await closeDb();
    await db?.drop();
  }, 60_000);

  return {
    adminPassword,
    lab: () => {
      if (!lab) throw new Error("the lab is not up");
      return lab;
    },
    baseUrl: () => {
      if (!app) throw new Error("the app is not running");
      return app.baseUrl;
    },
    newPage: async () => {
      const browser = await openBrowser(WALL_VIEWPORT);
      browsers.push(browser);
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("console", (message) => {
        // failed loads are reported with their URL below; the console line does not name it
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
          errors.push(message.text());
        }
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("response", (response) => {
        // the app ships no favicon; Chromium asks for one anyway
        if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico") {
          errors.push(`${response.status()} ${response.url()}`);
        }
      });
      return { page, errors };
    },
    createKioskToken: async (name) => {
      const { createApiToken } = await import("@/lib/auth/api-tokens");
      return (await createApiToken({ name, role: "viewer", kiosk: true })).token;
    },
  };
}
