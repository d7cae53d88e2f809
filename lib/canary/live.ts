import type { CanaryState } from "./schema";

// The latest canary state per node name, in memory (on globalThis, like lib/poller/live.ts, so Next's separately
// bundled modules see one store). The poll cycle copies it into the node's snapshot.

const storeKey = Symbol.for("kamdash.canary.live");
type GlobalWithStore = typeof globalThis & { [storeKey]?: Map<string, CanaryState> };

function store(): Map<string, CanaryState> {
  const g = globalThis as GlobalWithStore;
  g[storeKey] ??= new Map();
  return g[storeKey];
}

/** The node's canary state, or null when no run has finished since kamdash started (or the canary is off). */
export function getCanaryState(node: string): CanaryState | null {
  return store().get(node) ?? null;
}

export function setCanaryState(node: string, state: CanaryState): void {
  store().set(node, state);
}

/** Forgets nodes no longer scheduled (removed, disabled, or the canary turned off). */
export function retainCanaryNodes(names: ReadonlySet<string>): void {
  for (const name of [...store().keys()]) if (!names.has(name)) store().delete(name);
}
