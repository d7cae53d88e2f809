import path from "node:path";
import { defineConfig } from "vitest/config";

// One config, one project per suite. Suites that need the lab or a browser run one file at a time.
const alias = { "@": path.resolve(import.meta.dirname) };
const serial = { fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["lib/**/*.test.ts", "tests/unit/**/*.test.ts"] },
      },
      {
        resolve: { alias },
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"], ...serial },
      },
      {
        resolve: { alias },
        test: {
          name: "gateway",
          include: ["tests/gateway/**/*.test.ts"],
          // brings the lab up once and keeps two runs of the suite from overlapping on the shared lab
          globalSetup: ["tests/gateway/global-setup.ts"],
          ...serial,
        },
      },
      { resolve: { alias }, test: { name: "webrtc", include: ["tests/webrtc/**/*.test.ts"], ...serial } },
      { resolve: { alias }, test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], ...serial } },
    ],
  },
});
