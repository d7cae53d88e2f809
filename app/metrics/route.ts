import { withAuth } from "@/lib/auth/with-auth";
import { renderMetrics } from "@/lib/prometheus/export";

// Prometheus scrape target: what kamdash measures, in the Prometheus text format (see README "Prometheus").
export const dynamic = "force-dynamic";

export const GET = withAuth("metrics.read", async () => {
  const { text, contentType } = await renderMetrics();
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
