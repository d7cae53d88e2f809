import { z } from "zod";
import { getAlertRules } from "@/lib/alerts/queries";
import { createAlertRuleAs } from "@/lib/alerts/rule-lifecycle";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { parseJsonBody } from "@/lib/http/parse";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

/** GET /api/v1/alerts/rules — every rule (alerts.read: viewer and up, kiosks): `{ rules: AlertRule[] }`. */
export const GET = withAuth("alerts.read", async () =>
  Response.json({ rules: await getAlertRules(await getDb()) }, { headers: noStore }),
);

/**
 * POST /api/v1/alerts/rules (admin: alerts.write) — `{ name, metric, scope?, node?, comparator, threshold,
 * forSeconds, clearThreshold, clearForSeconds?, severity, enabled? }` → 201 with the rule; 422 invalid, 409 name taken.
 */
export const POST = withAuth("alerts.write", async (request, { actor }) => {
  const rule = await createAlertRuleAs(actor, await parseJsonBody(request, z.unknown()));
  return Response.json(rule, { status: 201, headers: noStore });
});
