import { trustedProxiesFromEnv } from "@/lib/auth/client-address";
import { ensureFirstAdmin } from "@/lib/auth/operators";
import { announceSetup } from "@/lib/auth/setup";
import { installPeerAddressStamp } from "@/lib/auth/setup-peer";
import { startCliForwarding } from "@/lib/cli/forward-start";
import { getDb } from "@/lib/db";
import { log, logLevelFromEnv } from "@/lib/log";
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
    // before the first request: /setup tells this machine from others by the stamped peer address
    installPeerAddressStamp();
    // a bad KAMDASH_TRUSTED_PROXIES or KAMDASH_LOG_LEVEL stops the start instead of the first sign-in
    trustedProxiesFromEnv();
    logLevelFromEnv();
    const db = await getDb();
    const seeded = await seedNodes(db);
    if (seeded.upserted.length > 0 || seeded.disabled.length > 0) {
      const disabled = seeded.disabled.length > 0 ? `; disabled: ${seeded.disabled.join(", ")}` : "";
      log.info(`nodes from ${seeded.from}: ${seeded.upserted.join(", ") || "none"}${disabled}`);
    }
    if ((await ensureFirstAdmin()).status === "not_configured") {
      // Next stores where it listens before it loads instrumentation
      await announceSetup(process.env.__NEXT_PRIVATE_ORIGIN);
    }
    // `kamdash …` run while this server holds the embedded database is executed here (lib/cli/forward-*.ts)
    await startCliForwarding();
    await startPoller();
    await startMetricsListener();
  } catch (error) {
    log.fatal({ err: error }, "start-up failed");
    process.exit(1);
  }
}
