import { readFile, rename, writeFile } from "node:fs/promises";
import { z } from "zod";
import { defaultStateDir, labPorts, statePaths } from "./paths";

export const labUserSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });
export type LabUser = z.infer<typeof labUserSchema>;

/** .lab/lab.json: the one place endpoints are read from (shape fixed in the common brief). */
export const labConfigSchema = z.object({
  domain: z.string(),
  sip: z.object({ udp: z.string(), tcp: z.string(), tls: z.string(), ws: z.string(), wss: z.string() }),
  rpc: z.string(),
  rtpengine: z.object({ ng: z.string(), http: z.string() }),
  db: z.string(),
  users: z.array(labUserSchema),
  origins: z.array(z.string()),
  /**
   * The synthetic canary's two probe users (caller, callee), apart from the numbered 1001… users so test slices
   * keep their numbering. Optional: a lab.json written before the canary existed has none.
   */
  canary: z.object({ users: z.array(labUserSchema).length(2) }).optional(),
});
export type LabConfig = z.infer<typeof labConfigSchema>;

export const labDomain = "127.0.0.1";

export const defaultOrigins: readonly string[] = [
  "https://127.0.0.1:8443",
  "http://127.0.0.1:8088",
  "https://localhost:8443",
  "http://localhost:8088",
  "http://127.0.0.1:3000",
  "http://localhost:3000",
];

export function buildLabConfig(
  db: string,
  users: LabUser[],
  origins: string[],
  canaryUsers?: readonly [LabUser, LabUser],
): LabConfig {
  const host = labDomain;
  return {
    domain: labDomain,
    sip: {
      udp: `${host}:${labPorts.sip}`,
      tcp: `${host}:${labPorts.sip}`,
      tls: `${host}:${labPorts.tls}`,
      ws: `ws://${host}:${labPorts.ws}`,
      wss: `wss://${host}:${labPorts.wss}`,
    },
    rpc: `http://${host}:${labPorts.rpc}/RPC`,
    rtpengine: { ng: `${host}:${labPorts.rtpengineNg}`, http: `http://${host}:${labPorts.rtpengineHttp}` },
    db,
    users,
    origins,
    ...(canaryUsers ? { canary: { users: [...canaryUsers] } } : {}),
  };
}

/** Reads and validates <stateDir>/lab.json; throws when it is missing or malformed. */
export async function readLabConfig(stateDir: string = defaultStateDir): Promise<LabConfig> {
  const file = statePaths(stateDir).labJson;
  const text = await readFile(file, "utf8");
  return labConfigSchema.parse(JSON.parse(text));
}

/** Like readLabConfig but null when the file does not exist or does not parse. */
export async function readLabConfigIfAny(stateDir: string = defaultStateDir): Promise<LabConfig | null> {
  try {
    return await readLabConfig(stateDir);
  } catch {
    return null;
  }
}

export async function writeLabConfig(stateDir: string, config: LabConfig): Promise<void> {
  const file = statePaths(stateDir).labJson;
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Every lab user ever provisioned in this state folder, so `--users` can shrink and grow without new passwords. */
export async function readKnownUsers(stateDir: string): Promise<LabUser[]> {
  try {
    return z.array(labUserSchema).parse(JSON.parse(await readFile(statePaths(stateDir).knownUsers, "utf8")));
  } catch {
    return [];
  }
}

export async function writeKnownUsers(stateDir: string, users: readonly LabUser[]): Promise<void> {
  const file = statePaths(stateDir).knownUsers;
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * How the lab's Kamailio keeps registrations: usrloc db_mode 0 (in memory, the default) or 3 (DB only, the
 * `location` table of lab.json's database). Recorded in <stateDir>/kamailio-mode.json, not in lab.json.
 */
export const kamailioModeSchema = z.object({ usrlocDbMode: z.union([z.literal(0), z.literal(3)]) });
export type KamailioMode = z.infer<typeof kamailioModeSchema>;

/** The recorded mode, or null when none was recorded (a lab started before the option existed runs db_mode 0). */
export async function readKamailioMode(stateDir: string): Promise<KamailioMode | null> {
  try {
    return kamailioModeSchema.parse(JSON.parse(await readFile(statePaths(stateDir).kamailioMode, "utf8")));
  } catch {
    return null;
  }
}

export async function writeKamailioMode(stateDir: string, mode: KamailioMode): Promise<void> {
  const file = statePaths(stateDir).kamailioMode;
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(mode)}\n`);
  await rename(tmp, file);
}
