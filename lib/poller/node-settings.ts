import { type ResolvedHandshake, resolveHandshake } from "@/lib/handshake/targets";
import type { HandshakeTarget } from "@/lib/handshake/ws-handshake";
import type { NodeProbeSettings } from "@/lib/nodes/probe-settings";
import type { ProbeMemory } from "./probe-state";
import type { RtpengineAddressOverrides } from "./probes/types";

// The per-node probe settings the poller applies (admin nodes page / API, stored on KamailioNode), re-read with the
// node list whenever the poller reloads (every 15 intervals, or at once on notify() after an admin change), so a
// change applies from the node's next cycle without a restart and without resetting the node's windows.

export type CycleSettings = {
  handshake: HandshakeTarget | undefined;
  /** The handshake probe's cadence for this node, ms. */
  handshakeIntervalMs: number;
  handshakeSource: ResolvedHandshake["source"];
  rtpengineAddresses: RtpengineAddressOverrides | undefined;
};

export type NodeSettings = {
  /** Replaces the settings of every node (called by the poller's loadJobs). */
  replace(settings: ReadonlyMap<string, NodeProbeSettings>): void;
  /**
   * What this node's cycle uses now. When its handshake target or interval changed since its last cycle, the
   * handshake probe is made due at once (an unavailable probe would otherwise wait for its re-check).
   */
  forCycle(name: string, probes: ReadonlyMap<string, ProbeMemory>): CycleSettings;
};

export function createNodeSettings(
  env: ReadonlyMap<string, HandshakeTarget>,
  lab: HandshakeTarget | null,
  defaultHandshakeIntervalMs: number,
): NodeSettings {
  let byName: ReadonlyMap<string, NodeProbeSettings> = new Map();
  const lastKey = new Map<string, string>();
  return {
    replace(settings) {
      byName = settings;
    },
    forCycle(name, probes) {
      const node = byName.get(name) ?? null;
      const resolved = resolveHandshake(name, node?.handshake ?? null, env, lab, defaultHandshakeIntervalMs);
      const key = JSON.stringify([resolved.target ?? null, resolved.intervalMs]);
      const previous = lastKey.get(name);
      lastKey.set(name, key);
      if (previous !== undefined && previous !== key) {
        const memory = probes.get("handshake");
        if (memory) memory.nextDueAtMs = 0;
      }
      const overrides = node?.rtpengineAddresses ?? {};
      return {
        handshake: resolved.target,
        handshakeIntervalMs: resolved.intervalMs,
        handshakeSource: resolved.source,
        rtpengineAddresses: Object.keys(overrides).length > 0 ? overrides : undefined,
      };
    },
  };
}
