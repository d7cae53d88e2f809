import { Counter, Gauge, Registry } from "prom-client";
import { getFleetSnapshot } from "@/lib/poller/live";
import { metricFamilies } from "./collectors";
import type { MetricFamily, Scrape } from "./families";
import { handshakeMetrics } from "./handshake-histogram";

// /metrics in the Prometheus text format (0.0.4), built with prom-client. Each scrape gets its own Registry (never
// prom-client's global one) over one fleet snapshot taken for that scrape, so every family in a response describes
// the same moment and no value is older than the live snapshot; values are read in each metric's collect().

export type MetricsText = { text: string; contentType: string };

/** A metric of `registry` whose series are exactly `family.samples(scrape)` at collect time. */
function addFamily(registry: Registry, family: MetricFamily, scrape: Scrape): void {
  const common = {
    name: family.name,
    help: family.help,
    labelNames: family.labelNames,
    registers: [registry],
  };
  if (family.type === "counter") {
    new Counter({
      ...common,
      async collect() {
        this.reset();
        for (const s of await family.samples(scrape)) this.inc(s.labels, s.value);
      },
    });
  } else {
    new Gauge({
      ...common,
      async collect() {
        this.reset();
        for (const s of await family.samples(scrape)) this.set(s.labels, s.value);
      },
    });
  }
}

/**
 * A Registry holding every family (kamdash's own and registered ones) over this scrape's snapshot, and the
 * handshake histogram and failure counter (their series of nodes not in the snapshot are dropped first).
 */
export function buildMetricsRegistry(
  scrape: Scrape,
  families: readonly MetricFamily[] = metricFamilies(),
): Registry {
  const registry = new Registry();
  for (const family of families) addFamily(registry, family, scrape);
  // process-long instruments observed as events happen (handshake-histogram.ts), not read from the snapshot
  for (const metric of handshakeMetrics(new Set(scrape.fleet.nodes.map((n) => n.name)))) {
    registry.registerMetric(metric);
  }
  return registry;
}

/** The exposition text for `scrape` (default: the live fleet snapshot now) and its content type. */
export async function renderMetrics(scrape?: Scrape): Promise<MetricsText> {
  const now = new Date();
  const registry = buildMetricsRegistry(scrape ?? { fleet: getFleetSnapshot(now), now });
  return { text: await registry.metrics(), contentType: registry.contentType };
}
