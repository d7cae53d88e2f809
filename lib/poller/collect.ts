import { branchesProbe } from "./probes/branches";
import { type ConnectionsResult, connectionsProbe } from "./probes/connections";
import { type DialogsResult, dialogsProbe } from "./probes/dialogs";
import { type RegistrationsResult, registrationsProbe } from "./probes/registrations";
import { type RtpengineResult, rtpengineProbe } from "./probes/rtpengine";
import { statsProbe } from "./probes/stats";
import { type Probe, type ProbeContext, ProbeError } from "./probes/types";
import type { BranchCounters } from "./snapshot";

export type ProbeResults = {
  connections: ConnectionsResult;
  registrations: RegistrationsResult;
  dialogs: DialogsResult;
  rtpengine: RtpengineResult;
  stats: Record<string, number>;
  branches: BranchCounters[];
};

export type CollectMode = "parallel" | "sequential";

async function runProbe<T>(probe: Probe<T>, ctx: ProbeContext): Promise<T> {
  try {
    return await probe.collect(ctx);
  } catch (err) {
    throw new ProbeError(probe.name, err);
  }
}

/** Runs every probe against one node; the first failure rejects with a ProbeError naming the probe. */
export async function collectProbes(
  ctx: ProbeContext,
  mode: CollectMode = "parallel",
): Promise<ProbeResults> {
  if (mode === "sequential") {
    return {
      connections: await runProbe(connectionsProbe, ctx),
      registrations: await runProbe(registrationsProbe, ctx),
      dialogs: await runProbe(dialogsProbe, ctx),
      rtpengine: await runProbe(rtpengineProbe, ctx),
      stats: await runProbe(statsProbe, ctx),
      branches: await runProbe(branchesProbe, ctx),
    };
  }
  const [connections, registrations, dialogs, rtpengine, stats, branches] = await Promise.all([
    runProbe(connectionsProbe, ctx),
    runProbe(registrationsProbe, ctx),
    runProbe(dialogsProbe, ctx),
    runProbe(rtpengineProbe, ctx),
    runProbe(statsProbe, ctx),
    runProbe(branchesProbe, ctx),
  ]);
  return { connections, registrations, dialogs, rtpengine, stats, branches };
}
