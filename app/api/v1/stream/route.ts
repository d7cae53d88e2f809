import { withAuth } from "@/lib/auth/with-auth";
import { createSnapshotStream, sseHeaders } from "@/lib/poller/sse";

export const dynamic = "force-dynamic";

export const GET = withAuth("stream.read", async (request) => {
  return new Response(createSnapshotStream(request.signal), { headers: sseHeaders });
});
