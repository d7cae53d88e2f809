import { z } from "zod";
import { updateAlertRuleAs } from "@/lib/alerts/rule-admin";
import { deleteAlertRuleAs, ruleIdSchema } from "@/lib/alerts/rule-lifecycle";
import { withAuth } from "@/lib/auth/with-auth";
import { notFound } from "@/lib/http/errors";
import { parseJsonBody } from "@/lib/http/parse";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

function idOf(text: string): number {
  const id = ruleIdSchema.safeParse(text);
  if (!id.success) throw notFound(`Alert rule "${text}"`);
  return id.data;
}

/**
 * PATCH /api/v1/alerts/rules/{id} (admin: alerts.write) — any of `{ enabled, threshold, forSeconds, clearThreshold,
 * clearForSeconds }` → the rule; 404 unknown id, 422 invalid.
 */
export const PATCH = withAuth<{ id: string }>("alerts.write", async (request, { actor, params }) => {
  const id = idOf(params.id);
  const change = await parseJsonBody(request, z.record(z.string(), z.unknown()));
  const rule = await updateAlertRuleAs(actor, { ...change, id });
  return Response.json(rule, { headers: noStore });
});

/**
 * DELETE /api/v1/alerts/rules/{id} (admin: alerts.write) — deletes the rule and its states; its firing alerts are
 * resolved with a notification → `{ deleted: AlertRule, resolved: string[] }` (the nodes, "" for a fleet rule).
 */
export const DELETE = withAuth<{ id: string }>("alerts.write", async (_request, { actor, params }) => {
  const { rule, resolved } = await deleteAlertRuleAs(actor, idOf(params.id));
  return Response.json({ deleted: rule, resolved }, { headers: noStore });
});
