import { withAuth } from "@/lib/auth/with-auth";
import { parseJsonBody } from "@/lib/http/parse";
import { setNodeProbeSettingsAs } from "@/lib/nodes/node-admin";
import { probeSettingsInput } from "@/lib/nodes/probe-settings";

export const dynamic = "force-dynamic";

/**
 * { handshake?: { url, origin, intervalS, verifyTls }, rtpengineAddresses?: { "<rtpengine.show url>": { ng,
 * metricsUrl } } }: the node's probe settings; a part left out is unchanged. 200 with { name, source, probes }.
 */
export const PATCH = withAuth<{ name: string }>("nodes.write", async (request, { actor, params }) => {
  const node = await setNodeProbeSettingsAs(
    actor,
    params.name,
    await parseJsonBody(request, probeSettingsInput),
  );
  return Response.json(node, { headers: { "cache-control": "no-store" } });
});
