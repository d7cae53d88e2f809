import { stillAuthorized, withAuth } from "@/lib/auth/with-auth";
import { createSnapshotStream, sseHeaders } from "@/lib/poller/sse";

export const dynamic = "force-dynamic";

export const GET = withAuth("stream.read", async (request) => {
  // revoking the token or signing out ends an open stream too
  const stillAllowed = stillAuthorized(request, "stream.read");
  return new Response(createSnapshotStream(request.signal, { stillAllowed }), { headers: sseHeaders });
});
