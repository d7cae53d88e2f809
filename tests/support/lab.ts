import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The shared lab's endpoints (.lab/lab.json, contract in the common brief) and bringing it up.

export const repoRoot = path.resolve(import.meta.dirname, "../..");
export const labStateDir = path.join(repoRoot, ".lab");
const labJsonPath = path.join(labStateDir, "lab.json");

const hostPort = z.string().regex(/^[^:]+:\d+$/);

export const labConfigSchema = z.object({
  domain: z.string().min(1),
  sip: z.object({
    udp: hostPort,
    tcp: hostPort,
    tls: hostPort,
    ws: z.string().startsWith("ws://"),
    wss: z.string().startsWith("wss://"),
  }),
  rpc: z.string().url(),
  rtpengine: z.object({ ng: hostPort, http: z.string().url() }),
  db: z.string(),
  users: z.array(z.object({ username: z.string().min(1), password: z.string().min(1) })).min(1),
  origins: z.array(z.string().min(1)).min(1),
});

export type LabConfig = z.infer<typeof labConfigSchema>;
export type LabUser = LabConfig["users"][number];

export function readLab(): LabConfig {
  if (!existsSync(labJsonPath)) throw new Error(`${labJsonPath} missing: the lab is not up`);
  return labConfigSchema.parse(JSON.parse(readFileSync(labJsonPath, "utf8")));
}

/**
 * Users the lab suites need (1001..1000+N). Test files take slices from index 8 on, leaving
 * 1001..1008 to people poking at the shared lab by hand (slices listed in gateway-fixture.ts).
 */
export const gatewaySuiteUsers = 96;

/** Brings the shared lab up (idempotent: a running lab is left as it is) and returns its config. */
export async function ensureLab(): Promise<LabConfig> {
  const lab = await import("../../scripts/lab/lab");
  await lab.labUp({ users: gatewaySuiteUsers });
  const config = readLab();
  if (config.users.length < gatewaySuiteUsers) {
    throw new Error(`lab has ${config.users.length} users, the gateway suite needs ${gatewaySuiteUsers}`);
  }
  return config;
}

export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  return { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
}

/**
 * Hands out lab users so that no two tests (and no two test files) share one: each file gets its own
 * slice of the user list, and the usrloc entries of a user are removed before it is handed out.
 */
export class LabUsers {
  private next: number;

  constructor(
    private readonly config: LabConfig,
    private readonly slice: { first: number; count: number },
  ) {
    this.next = slice.first;
  }

  take(): LabUser {
    if (this.next >= this.slice.first + this.slice.count) {
      throw new Error(`user slice ${this.slice.first}+${this.slice.count} exhausted`);
    }
    const user = this.config.users[this.next++];
    if (!user) throw new Error(`lab has no user #${this.next - 1}`);
    return user;
  }
}
