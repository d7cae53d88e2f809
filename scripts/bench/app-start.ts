import { ensureBuild, type RunningApp, startApp } from "../../tests/e2e/support/app-server";

// `next start` on the shared working tree's .next: other work may rebuild it (deleting the old build) between our
// ensureBuild() and the start. Builds when stale right before starting, and tries again (up to 4 times) when the
// start finds no build. `--use-build` on the command line skips the rebuild and starts what .next holds (so a bench
// started while another one runs `next start` does not rebuild under it).

/** ensureBuild() then startApp(env), again after 15 s when another build removed .next meanwhile. */
export async function startBuiltApp(
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<RunningApp> {
  for (let attempt = 1; ; attempt++) {
    const useBuild = process.argv.includes("--use-build") && attempt === 1;
    log(`next build: ${useBuild ? "as found (--use-build)" : await ensureBuild()}`);
    try {
      return await startApp(env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= 4 || !/production build|BUILD_ID|\.next/.test(message)) throw error;
      log("the build went away (another next build?): waiting, then building again");
      await new Promise((resolve) => setTimeout(resolve, 15_000));
    }
  }
}
