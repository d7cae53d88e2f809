import { ensureFirstAdmin } from "@/lib/auth/operators";
import { getDb } from "@/lib/db";
import { seedNodes } from "@/lib/nodes";
import { startPoller } from "@/lib/poller/start";
import { startMetricsListener } from "@/lib/prometheus/listener";

/**
 * Server start-up (Node.js runtime only, loaded by instrumentation.ts): open and migrate the database, seed the
 * nodes, create the first admin, start the poller and, when KAMDASH_METRICS_PORT is set, the open /metrics
 * listener. Any failure is fatal: log it and exit non-zero, because a throwing register() would leave
 * `next start` serving 500s.
 */
export async function startServer(): Promise<void> {
  try {
    const db = await getDb();
    const seeded = await seedNodes(db);
    if (seeded.upserted.length > 0 || seeded.disabled.length > 0) {
      const disabled = seeded.disabled.length > 0 ? `; disabled: ${seeded.disabled.join(", ")}` : "";
      console.info(`[kamdash] nodes from ${seeded.from}: ${seeded.upserted.join(", ") || "none"}${disabled}`);
    }
    await ensureFirstAdmin();
    await startPoller();
    await startMetricsListener();
  } catch (error) {
    console.error("[kamdash] start-up failed:", error);
    process.exit(1);
  }
}
