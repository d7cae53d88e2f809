import { kamdashFamilies, type MetricFamily } from "./families";
import { HANDSHAKE_DURATION_NAME, HANDSHAKE_FAILURES_NAME } from "./handshake-histogram";
import { healthFamilies } from "./health-families";

// Where other parts of kamdash add metric families to /metrics (e.g. a branch-failure rate per window): call
// registerCollector() once per process, from code that runs at start-up (instrumentation-node.ts) or from the
// module that owns the number. The list lives on globalThis because Next bundles route handlers and
// instrumentation separately: a family registered in one bundle must show up in the other's scrapes too.

const storeKey = Symbol.for("kamdash.prometheus.collectors");
type GlobalWithCollectors = typeof globalThis & { [storeKey]?: Map<string, MetricFamily> };

function store(): Map<string, MetricFamily> {
  const g = globalThis as GlobalWithCollectors;
  g[storeKey] ??= new Map();
  return g[storeKey];
}

/**
 * Adds a metric family to every later scrape (the /metrics route and the open listener). Its `samples()` runs
 * once per scrape with that scrape's fleet snapshot; it may be async (a database query) and must leave out what
 * it does not know rather than report 0. Throws when the name is kamdash's own or already registered.
 * Returns a function that removes it again.
 */
export function registerCollector(family: MetricFamily): () => void {
  const extra = store();
  const own = [...kamdashFamilies, ...healthFamilies].map((f) => f.name);
  own.push(HANDSHAKE_DURATION_NAME, HANDSHAKE_FAILURES_NAME);
  if (own.includes(family.name) || extra.has(family.name)) {
    throw new Error(`metric family ${family.name} is already registered`);
  }
  extra.set(family.name, family);
  return () => {
    if (extra.get(family.name) === family) extra.delete(family.name);
  };
}

/** kamdash's own families (headline numbers, then the seed's health numbers), then the registered ones. */
export function metricFamilies(): MetricFamily[] {
  return [...kamdashFamilies, ...healthFamilies, ...store().values()];
}
