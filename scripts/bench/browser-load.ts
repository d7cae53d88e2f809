import { existsSync } from "node:fs";
import { CHROMIUM_PATH, openBrowser } from "../../tests/support/browser";

// Chromium's view of a page load (playwright-core + Debian's /usr/bin/chromium, as the browser suite runs it): ms
// from navigation start to the load event (HTML, CSS, scripts, hydration chunks), with the session cookies of
// scripts/bench/dashboard-http.ts so no sign-in page is involved.

export const browserAvailable = () => existsSync(CHROMIUM_PATH);

/** Loads each path `runs` times (round-robin, after one untimed load each); ms per path, in order. */
export async function timeBrowserLoads(
  baseUrl: string,
  cookies: readonly { name: string; value: string }[],
  paths: readonly string[],
  runs: number,
): Promise<Map<string, number[]>> {
  const browser = await openBrowser({ width: 1600, height: 1000 });
  const times = new Map<string, number[]>(paths.map((p) => [p, []]));
  try {
    await browser.context.addCookies(cookies.map((c) => ({ ...c, url: baseUrl })));
    const page = await browser.context.newPage();
    for (let round = -1; round < runs; round++) {
      for (const path of paths) {
        const started = performance.now();
        const response = await page.goto(`${baseUrl}${path}`, { waitUntil: "load" });
        const elapsed = performance.now() - started;
        const landed = new URL(page.url()).pathname;
        if (!response?.ok() || landed !== new URL(`${baseUrl}${path}`).pathname) {
          throw new Error(`Chromium: ${path} answered ${response?.status()} and landed on ${landed}`);
        }
        if (round >= 0) times.get(path)?.push(elapsed);
      }
    }
  } finally {
    await browser.close();
  }
  return times;
}
