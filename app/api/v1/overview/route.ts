import { withAuth } from "@/lib/auth/with-auth";
import { getFleetSnapshot } from "@/lib/poller/live";
import { withAges } from "@/lib/poller/snapshot";

export const dynamic = "force-dynamic";

export const GET = withAuth("overview.read", async () => {
  const now = new Date();
  return Response.json(withAges(getFleetSnapshot(now), now), { headers: { "cache-control": "no-store" } });
});
