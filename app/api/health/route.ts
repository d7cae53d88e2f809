import { getDb } from "@/lib/db";
import { getHealth } from "@/lib/poller/health";

export const dynamic = "force-dynamic";

// No auth: load balancers and monitors call this.
export async function GET(): Promise<Response> {
  const health = await getHealth(getDb);
  return Response.json(health, {
    status: health.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
