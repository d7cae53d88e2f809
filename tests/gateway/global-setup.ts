import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureLab, labStateDir } from "../support/lab";
import { sippOutputDir } from "../support/sipp";
import { acquireSuiteLock } from "../support/suite-lock";

// Global setup of the vitest project "gateway": one run at a time against the shared lab, lab up first.

declare module "vitest" {
  export interface ProvidedContext {
    gatewayLabReady: boolean;
  }
}

let release: (() => void) | undefined;

export async function setup(project: TestProject): Promise<void> {
  mkdirSync(labStateDir, { recursive: true, mode: 0o700 });
  release = await acquireSuiteLock(path.join(labStateDir, "gateway-suite.lock"), 15 * 60_000);
  // SIPp message logs of this run only (test-results/gateway/sipp, read when a call test fails)
  rmSync(sippOutputDir, { recursive: true, force: true });
  try {
    await ensureLab();
  } catch (error) {
    release();
    release = undefined;
    throw error;
  }
  project.provide("gatewayLabReady", true);
}

export async function teardown(): Promise<void> {
  release?.();
  release = undefined;
}
