import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { NodeConfigError, type NodeSpec, parseKamailioNodes, rpcUrlSchema } from "./node-spec";
import { upsertNode } from "./registry";

export const LAB_NODE_NAME = "lab";

export interface SeedResult {
  /** Where the node list came from this time. */
  from: "env" | "lab" | "none";
  upserted: string[];
  /** Nodes an earlier KAMAILIO_NODES listed that it no longer does: disabled, not deleted (keeps history). */
  disabled: string[];
}

export interface SeedOptions {
  env?: Readonly<Record<string, string | undefined>>;
  labJsonPath?: string;
}

const labJsonSchema = z.object({ rpc: rpcUrlSchema });

export function defaultLabJsonPath(): string {
  return path.join(/* turbopackIgnore: true */ process.cwd(), ".lab", "lab.json");
}

/** The lab's JSON-RPC URL from .lab/lab.json, or null when there is no lab file. */
export function readLabRpcUrl(labJsonPath: string): string | null {
  if (!existsSync(labJsonPath)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(labJsonPath, "utf8"));
  } catch (error) {
    throw new NodeConfigError(`${labJsonPath} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = labJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new NodeConfigError(
      `${labJsonPath}: "rpc" must be the lab's JSON-RPC URL (${parsed.error.issues[0]?.message})`,
    );
  }
  return parsed.data.rpc;
}

/**
 * Start-up node seeding. KAMAILIO_NODES (when set) is authoritative for the nodes it lists; without it,
 * a running lab (.lab/lab.json) gives node "lab". Nodes added by the CLI or UI are left alone.
 */
export async function seedNodes(db: PrismaClient, options: SeedOptions = {}): Promise<SeedResult> {
  const env = options.env ?? process.env;
  const fromEnv = env.KAMAILIO_NODES;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return seedFromEnv(db, parseKamailioNodes(fromEnv));
  }
  const labRpcUrl = readLabRpcUrl(options.labJsonPath ?? defaultLabJsonPath());
  if (labRpcUrl === null) return { from: "none", upserted: [], disabled: [] };
  await upsertNode(db, { name: LAB_NODE_NAME, rpcUrl: labRpcUrl }, "lab");
  return { from: "lab", upserted: [LAB_NODE_NAME], disabled: [] };
}

async function seedFromEnv(db: PrismaClient, specs: NodeSpec[]): Promise<SeedResult> {
  const names = specs.map((spec) => spec.name);
  for (const spec of specs) await upsertNode(db, spec, "env");
  const dropped = await db.kamailioNode.findMany({
    where: { source: "env", enabled: true, name: { notIn: names } },
    select: { name: true },
  });
  if (dropped.length > 0) {
    await db.kamailioNode.updateMany({
      where: { name: { in: dropped.map((node) => node.name) } },
      data: { enabled: false },
    });
  }
  return { from: "env", upserted: names, disabled: dropped.map((node) => node.name) };
}
