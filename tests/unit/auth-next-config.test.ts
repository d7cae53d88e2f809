import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";

// requirePage() answers "signed in but not allowed" with Next's forbidden() (HTTP 403), which throws at run time
// unless this experimental flag is on.
describe("next.config.js", () => {
  it("enables experimental.authInterrupts so forbidden() can answer 403", async () => {
    const config = (
      (await import(new URL("../../next.config.js", import.meta.url).href)) as { default: NextConfig }
    ).default;
    expect(config.experimental?.authInterrupts).toBe(true);
  });

  // Next aborts a server action whose Origin is not this host unless the origin is listed here; the admin
  // actions (nodes, tokens) rely on that check, so nothing may be listed.
  it("allows no extra origins for server actions", async () => {
    const config = (
      (await import(new URL("../../next.config.js", import.meta.url).href)) as { default: NextConfig }
    ).default;
    expect(config.experimental?.serverActions?.allowedOrigins ?? []).toEqual([]);
  });
});
