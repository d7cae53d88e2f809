// Debian's Chromium driven by playwright-core for the browser suite: headless, no GPU, no background traffic,
// a fresh profile in a temp folder per launch (removed on close).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

export const E2E_CHROMIUM_FLAGS: readonly string[] = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const WALL_VIEWPORT = { width: 1920, height: 1080 } as const;

export type E2eBrowser = { context: BrowserContext; close: () => Promise<void> };

/** One browser with its own profile (so its own cookies). Playwright passes the folder as --user-data-dir. */
export async function openBrowser(
  viewport: { width: number; height: number } = WALL_VIEWPORT,
): Promise<E2eBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), "kamdash-e2e-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      // the headless mode comes from --headless=new in the flags, so Playwright adds none of its own
      headless: false,
      args: [...E2E_CHROMIUM_FLAGS],
      viewport,
      env: { ...process.env, HOME: userDataDir },
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
