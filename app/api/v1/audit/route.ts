import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { parseSearchParams } from "@/lib/http/parse";
import { auditQuerySchema, getAuditLog } from "@/lib/metrics/queries/getAuditLog";

export const dynamic = "force-dynamic";

/** ?actor=&action=<action or prefix>&target=&since=ISO&limit=1..500 — the audit log, newest first (admins only). */
export const GET = withAuth("audit.read", async (request) => {
  const rows = await getAuditLog(await getDb(), parseSearchParams(request, auditQuerySchema));
  return Response.json(rows, { headers: { "cache-control": "no-store" } });
});
