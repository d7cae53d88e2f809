import { getAlerts } from "@/lib/alerts/queries";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /api/v1/alerts — firing alerts and those resolved in the last 24 h (viewer and up, kiosk). */
export const GET = withAuth("alerts.read", async () =>
  Response.json(await getAlerts(await getDb()), { headers: { "cache-control": "no-store" } }),
);
