import { withAuth } from "@/lib/auth/with-auth";
import { answer } from "@/lib/provisioning/http";
import { exportSubscribersCsv } from "@/lib/provisioning/import";

export const dynamic = "force-dynamic";

/** text/csv "username,domain" of every subscriber, streamed (no password, no hash). */
export const GET = withAuth("subscribers.read", async () =>
  answer(async () => {
    const lines = exportSubscribersCsv();
    const first = await lines.next(); // a configuration error is answered as JSON before the stream starts
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) controller.enqueue(encoder.encode(first.value));
      },
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="subscribers.csv"',
        "cache-control": "no-store",
      },
    });
  }),
);
